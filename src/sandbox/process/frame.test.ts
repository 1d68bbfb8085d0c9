import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from './frame.js';

describe('frames', () => {
  it('decodes frames split across and packed into chunks', () => {
    const bytes = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame(['é', null])]);
    const decoder = new FrameDecoder(1024);
    const frames = [...decoder.push(bytes.subarray(0, 3)), ...decoder.push(bytes.subarray(3, 10))];
    frames.push(...decoder.push(bytes.subarray(10)));
    expect(frames).toEqual([{ a: 1 }, ['é', null]]);
  });

  it('rejects a frame over the size limit', () => {
    expect(() => new FrameDecoder(4).push(encodeFrame('too long'))).toThrow(RangeError);
  });
});

/** Encode one value as a frame: a 4-byte big-endian length, then the value as UTF-8 JSON. */
export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/**
 * Splits a byte stream into frames written by `encodeFrame` (or the sandbox worker). Frames larger
 * than `maxFrameBytes` are a protocol violation: `push` throws and the caller drops the stream.
 */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes: number) {}

  /** Add bytes; returns the frames completed by them, parsed from JSON. */
  push(chunk: Buffer): unknown[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: unknown[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length > this.maxFrameBytes) {
        throw new RangeError(`frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`);
      }
      if (this.buffered.length < 4 + length) break;
      frames.push(JSON.parse(this.buffered.subarray(4, 4 + length).toString('utf8')));
      this.buffered = this.buffered.subarray(4 + length);
    }
    return frames;
  }
}

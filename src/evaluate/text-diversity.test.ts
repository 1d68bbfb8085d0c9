import { describe, expect, it } from 'vitest';
import { selfBleu, textDiversity } from './text-diversity.js';

describe('textDiversity', () => {
  it('counts vocabulary, distinct-n and entropy', () => {
    const metrics = textDiversity(['a b c', 'a b d']);
    expect(metrics.vocabulary).toBe(4);
    expect(metrics.meanWords).toBe(3);
    expect(metrics.distinct1).toBeCloseTo(4 / 6, 10); // a, b, c, d over 6 words
    expect(metrics.distinct2).toBeCloseTo(3 / 4, 10); // "a b" twice, "b c", "b d"
    expect(metrics.distinct3).toBe(1);
    // unigram counts 2, 2, 1, 1 over 6
    const p = [2 / 6, 2 / 6, 1 / 6, 1 / 6];
    expect(metrics.entropy1).toBeCloseTo(-p.reduce((sum, value) => sum + value * Math.log2(value), 0), 10);
  });

  it('scores self-BLEU 1 for copies and low for unrelated texts', () => {
    const same = Array.from({ length: 5 }, () => 'what is the capital of texas'.split(' '));
    expect(selfBleu(same)).toBeCloseTo(1, 10);
    const varied = [
      'what is the capital of texas',
      'how many rivers cross colorado',
      'name every lake in michigan today',
      'which city has most people',
    ].map((text) => text.split(' '));
    expect(selfBleu(varied)).toBeLessThan(0.2);
  });
});

import { describe, expect, it } from 'vitest';
import { findNearDuplicates, findNearDuplicatesNaive, NearDuplicateIndex } from './minhash-lsh.js';
import { jaccard, wordShingles } from './shingles.js';

describe('word shingles', () => {
  it('fold case and punctuation, keep word order through bigrams', () => {
    expect(
      jaccard(wordShingles('What is the capital of Texas?'), wordShingles('what is the capital of texas')),
    ).toBe(1);
    const swapped = jaccard(wordShingles('texas capital'), wordShingles('capital texas'));
    expect(swapped).toBeGreaterThan(0);
    expect(swapped).toBeLessThan(1);
  });
});

describe('NearDuplicateIndex', () => {
  it('finds near duplicates, keeps different questions, and never crosses scopes', () => {
    const index = new NearDuplicateIndex({ threshold: 0.7 });
    expect(index.add('what is the capital of texas')).toEqual({ duplicateOf: -1, similarity: 0 });
    expect(index.add('What is the capital of Texas?')).toEqual({ duplicateOf: 0, similarity: 1 });
    const near = index.add('what is the capital of texas please');
    expect(near.duplicateOf).toBe(0);
    expect(near.similarity).toBeCloseTo(11 / 13, 5);
    // same shape, different state: a different question
    expect(index.add('what is the capital of ohio').duplicateOf).toBe(-1);
    // the same text in another database is not a duplicate
    expect(index.add('what is the capital of texas', 'other_db').duplicateOf).toBe(-1);
    expect(index.add('what is the capital of texas?', 'other_db').duplicateOf).toBe(4);
  });

  it('agrees with the exact all-pairs search on perturbed real questions', () => {
    const base = [
      'how many people live in austin',
      'what rivers run through colorado',
      'which state has the largest population',
      'what is the highest point in the state of oregon',
      'name the major lakes in michigan',
      'how long is the mississippi river',
      'give me the cities in virginia',
      'what states border kentucky',
    ];
    const extras = ['please', 'exactly', 'now', 'today', 'again'];
    const texts: string[] = [];
    for (let round = 0; round < 40; round++) {
      for (const [position, question] of base.entries()) {
        const words = question.split(' ');
        if (round % 3 === 1) words.push(extras[(round + position) % extras.length]!);
        if (round % 3 === 2)
          words.splice(1 + (round % (words.length - 1)), 0, extras[round % extras.length]!);
        texts.push(
          `${words.join(' ')}${round % 4 === 0 ? '?' : ''} ${round >= 20 ? `number ${round}` : ''}`.trim(),
        );
      }
    }
    const fast = findNearDuplicates(texts, { threshold: 0.75 });
    const naive = findNearDuplicatesNaive(texts, 0.75);
    const keptFast = fast.duplicateOf.filter((value) => value === -1).length;
    const keptNaive = naive.duplicateOf.filter((value) => value === -1).length;
    expect(keptNaive).toBeLessThan(texts.length / 2);
    // every pair LSH reports is verified exactly, so it can only miss, never invent, duplicates
    for (let position = 0; position < texts.length; position++) {
      if (fast.duplicateOf[position] !== -1) expect(fast.similarity[position]).toBeGreaterThanOrEqual(0.75);
    }
    expect(Math.abs(keptFast - keptNaive) / keptNaive).toBeLessThan(0.05);
    expect(fast.comparisons).toBeLessThan((texts.length * texts.length) / 20);
  });

  it('rejects settings that cannot work', () => {
    expect(() => new NearDuplicateIndex({ permutations: 50, bands: 12 })).toThrow(/multiple of `bands`/);
    expect(() => new NearDuplicateIndex({ threshold: 0 })).toThrow(/threshold/);
  });
});

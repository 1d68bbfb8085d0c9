import { describe, expect, it } from 'vitest';
import { cellKey, resultKeys } from './result-key.js';

const rows = (values: unknown[][]) => values.map((row) => row.map(cellKey));

describe('result comparison', () => {
  it('treats unordered results as multisets and ordered ones as lists', () => {
    const a = rows([[1], [2], [2]]);
    const b = rows([[2], [1], [2]]);
    expect(resultKeys(a, false, 'multiset').key).toBe(resultKeys(b, false, 'multiset').key);
    expect(resultKeys(a, true, 'multiset').key).not.toBe(resultKeys(b, true, 'multiset').key);
    // a multiset keeps duplicates
    expect(resultKeys(rows([[1], [2]]), false, 'multiset').key).not.toBe(
      resultKeys(a, false, 'multiset').key,
    );
  });
  it('ignores ordering for results of one row', () => {
    expect(resultKeys(rows([[5]]), true, 'multiset').key).toBe(
      resultKeys(rows([[5]]), false, 'multiset').key,
    );
  });
  it('equates integers with equal reals and reals within the tolerance', () => {
    expect(cellKey(3)).toBe(cellKey(3.0));
    expect(cellKey(0.1 + 0.2)).toBe(cellKey(0.3));
    expect(cellKey(1 / 3)).toBe(cellKey(0.33333333333));
    expect(cellKey(0.3)).not.toBe(cellKey(0.31));
    expect(cellKey('3')).not.toBe(cellKey(3));
  });
  it('handles NULLs and blobs', () => {
    expect(cellKey(null)).toBe(cellKey(undefined));
    expect(cellKey(null)).not.toBe(cellKey('N'));
    expect(cellKey(Buffer.from([1, 2]))).toBe(cellKey(new Uint8Array([1, 2])));
  });
  it('matches column permutations in multiset mode but not in strict mode', () => {
    const a = rows([
      ['texas', 10],
      ['ohio', 20],
    ]);
    const b = rows([
      [20, 'ohio'],
      [10, 'texas'],
    ]);
    expect(resultKeys(a, false, 'multiset').key).toBe(resultKeys(b, false, 'multiset').key);
    expect(resultKeys(a, false, 'strict').key).not.toBe(resultKeys(b, false, 'strict').key);
  });
  it("offers SymGen's looser set comparison", () => {
    const a = rows([
      [1, 'a'],
      [1, 'a'],
      [2, 'b'],
    ]);
    const b = rows([
      ['b', 2],
      ['a', 1],
    ]);
    expect(resultKeys(a, true, 'set').key).toBe(resultKeys(b, false, 'set').key);
  });
  it('equates every empty result', () => {
    expect(resultKeys([], false, 'multiset').key).toBe('empty');
  });
});

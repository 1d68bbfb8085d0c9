import { describe, expect, it } from 'vitest';
import { cellKey, ResultHasher, resultKeys } from './result-key.js';

const rows = (values: unknown[][]) => values;
const one = (value: unknown) => resultKeys([[value]], false, 'multiset').key;

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
  it('hashes cells exactly as their keys compare', () => {
    const values: unknown[] = [
      null,
      undefined,
      0,
      -0,
      3,
      3.0,
      0.1 + 0.2,
      0.3,
      0.31,
      1 / 3,
      0.33333333333,
      '3',
      'N',
      '',
      'n3',
      2 ** 60,
      2n ** 60n,
      2n ** 70n + 1n,
      2 ** 70,
      7n,
      1234567890.5,
      1234567891,
      7,
      Buffer.from([1, 2]),
      new Uint8Array([1, 2]),
      new Uint8Array([2, 1]),
      Number.POSITIVE_INFINITY,
      -1e300,
      'texas',
      'Texas',
    ];
    for (const x of values) {
      for (const y of values) {
        expect(one(x) === one(y), `${String(x)} vs ${String(y)}`).toBe(cellKey(x) === cellKey(y));
      }
    }
  });
  it('keeps row boundaries and counts apart', () => {
    expect(
      resultKeys(
        [
          [1, 2],
          [3, 4],
        ],
        false,
        'strict',
      ).key,
    ).not.toBe(
      resultKeys(
        [
          [1, 3],
          [2, 4],
        ],
        false,
        'strict',
      ).key,
    );
    expect(resultKeys([[1], [1], [2]], false, 'multiset').key).not.toBe(
      resultKeys([[1], [2], [2]], false, 'multiset').key,
    );
    expect(resultKeys([[1], [1], [2]], false, 'set').key).toBe(resultKeys([[2], [1]], false, 'set').key);
  });
  it('gives the same keys row by row as for a whole result, over many rows', () => {
    const big = Array.from({ length: 5000 }, (_, index) => [index % 97, `city ${index}`, index / 7]);
    const hasher = new ResultHasher('multiset');
    for (const row of big) hasher.add(row);
    expect(hasher.keys(false).key).toBe(resultKeys([...big].reverse(), false, 'multiset').key);
    expect(hasher.keys(true).listKey).toBe(resultKeys(big, true, 'multiset').listKey);
    expect(hasher.keys(true).key).not.toBe(resultKeys([...big].reverse(), true, 'multiset').key);
    const swapped = big.map(([a, b, c]) => [c, a, b]);
    expect(resultKeys(swapped, false, 'multiset').key).toBe(hasher.keys(false).key);
  });
});

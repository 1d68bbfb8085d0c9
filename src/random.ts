/**
 * symgen's one seeded pseudo-random generator (mulberry32: 32-bit state, fast, good enough for
 * sampling; never for anything secret). Equal seeds give equal sequences on every platform, which
 * is what makes runs repeat byte for byte.
 */

/** Numbers in [0, 1) from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded pseudo-random source with the draws samplers need. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  /** One item, uniformly. Throws on an empty list (a bug in the caller). */
  pick<T>(items: readonly T[]): T;
  /** An index drawn in proportion to `weights` (non-negative; all zero draws uniformly). */
  weighted(weights: readonly number[]): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A copy of `items` in random order. */
  shuffle<T>(items: readonly T[]): T[];
}

/**
 * A {@link Random} from a seed: {@link seededRandom} of the seed mixed with the golden-ratio
 * constant (so seed 0 is as good as any). Equal seeds give equal sequences.
 * @example
 * const random = createRandom(7);
 * random.pick(['a', 'b', 'c']);
 */
export function createRandom(seed: number): Random {
  const next = seededRandom(Math.trunc(seed) ^ 0x9e3779b9);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(items.length)]!;
    },
    weighted(weights: readonly number[]): number {
      const total = weights.reduce((sum, weight) => sum + Math.max(0, weight), 0);
      if (!(total > 0)) return int(weights.length);
      let target = next() * total;
      for (let index = 0; index < weights.length; index++) {
        target -= Math.max(0, weights[index]!);
        if (target < 0) return index;
      }
      return weights.length - 1;
    },
    chance: (p) => next() < p,
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = int(index + 1);
        [copy[index], copy[other]] = [copy[other]!, copy[index]!];
      }
      return copy;
    },
  };
}

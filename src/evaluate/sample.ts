/** A seeded PRNG (mulberry32): returns a function giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded sample of at most `size` items, in their original order (all of them when fewer). */
export function sampleOf<T>(items: readonly T[], size: number, seed = 1): T[] {
  if (items.length <= size) return [...items];
  const random = seededRandom(seed);
  const indices = Array.from(items, (_, index) => index);
  for (let index = 0; index < size; index++) {
    const pick = index + Math.floor(random() * (indices.length - index));
    [indices[index], indices[pick]] = [indices[pick]!, indices[index]!];
  }
  return indices
    .slice(0, size)
    .sort((left, right) => left - right)
    .map((index) => items[index]!);
}

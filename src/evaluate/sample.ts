import { seededRandom } from '../random.js';

// The seeded generator is symgen's one (src/random.ts).
export { seededRandom };

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

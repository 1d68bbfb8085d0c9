import { createHash } from 'node:crypto';

// The seeded generator is symgen's one (src/random.ts).
export { seededRandom } from '../random.js';

/** A 32-bit seed derived from parts (run seed, database, prompt index...): same parts, same seed. */
export function seedFrom(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

/** `k` distinct items drawn without replacement, in draw order. */
export function sampleWithoutReplacement<T>(items: readonly T[], k: number, random: () => number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < k && pool.length > 0) {
    const index = Math.floor(random() * pool.length);
    chosen.push(pool[index]!);
    pool[index] = pool[pool.length - 1]!;
    pool.pop();
  }
  return chosen;
}

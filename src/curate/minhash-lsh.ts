import { jaccard, mix32, wordShingles } from './shingles.js';

/** Settings of near-duplicate detection. */
export interface MinHashOptions {
  /** Word-shingle Jaccard similarity from which two texts are near duplicates. @default 0.8 */
  readonly threshold?: number;
  /** Hash functions in a signature; must be a multiple of `bands`. @default 48 */
  readonly permutations?: number;
  /** LSH bands: more bands find more candidates at lower similarity, and cost memory. @default 12 */
  readonly bands?: number;
  /** Seed of the hash functions. @default 1 */
  readonly seed?: number;
  /** Most stored texts compared exactly per new text (caps pathological buckets). @default 64 */
  readonly maxCandidates?: number;
}

/** What {@link NearDuplicateIndex.add} says about a text. */
export interface NearDuplicateMatch {
  /** Index (order of `add`) of the kept text this one duplicates, or -1 when it was kept. */
  readonly duplicateOf: number;
  /** Exact Jaccard similarity of the shingles with that text (0 when kept). */
  readonly similarity: number;
}

const EMPTY = -1;

/**
 * MinHash-LSH over word shingles, streaming and greedy: each text is compared with the texts kept
 * before it, and kept when none is similar enough. Candidates come from LSH buckets (a signature of
 * `permutations` 32-bit min-hashes cut into `bands` bands, each band hashed to one 32-bit key, held
 * in one open-addressing table of typed arrays); each candidate is then checked by the exact
 * Jaccard similarity of the shingle sets, so a bucket collision never drops a text wrongly.
 * Memory is a few typed arrays: the shingles of kept texts and `bands` table slots per kept text.
 * Texts in different scopes (e.g. databases) are never duplicates of each other.
 * @example
 * const index = new NearDuplicateIndex({ threshold: 0.8 });
 * index.add('what is the capital of texas'); // { duplicateOf: -1, similarity: 0 }
 * index.add('What is the capital of Texas?'); // { duplicateOf: 0, similarity: 1 }
 */
export class NearDuplicateIndex {
  readonly threshold: number;
  private readonly permutations: number;
  private readonly bands: number;
  private readonly rows: number;
  private readonly maxCandidates: number;
  private readonly multipliers: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly signature: Uint32Array;
  private count = 0;
  /** Per text: start of its shingles in `store` and how many (kept texts only), and its scope. */
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private scopeIds = new Int32Array(1024);
  private store = new Uint32Array(1 << 16);
  private stored = 0;
  private tableKeys = new Uint32Array(1 << 12);
  private tableValues = new Int32Array(1 << 12).fill(EMPTY);
  private tableUsed = 0;
  private readonly scopes = new Map<string, number>();
  /** Exact comparisons made (for benchmarks). */
  comparisons = 0;

  constructor(options: MinHashOptions = {}) {
    this.threshold = options.threshold ?? 0.8;
    this.permutations = options.permutations ?? 48;
    this.bands = options.bands ?? 12;
    this.maxCandidates = Math.min(options.maxCandidates ?? 64, 1024);
    if (!(this.threshold > 0 && this.threshold <= 1)) {
      throw new RangeError(`Expected \`threshold\` from 0 (excluded) to 1, got ${this.threshold}`);
    }
    if (this.bands < 1 || this.permutations % this.bands !== 0) {
      throw new RangeError(
        `Expected \`permutations\` (${this.permutations}) to be a multiple of \`bands\` (${this.bands})`,
      );
    }
    this.rows = this.permutations / this.bands;
    const seed = options.seed ?? 1;
    this.multipliers = new Uint32Array(this.permutations);
    this.offsets = new Uint32Array(this.permutations);
    for (let index = 0; index < this.permutations; index++) {
      this.multipliers[index] = (mix32(seed * 7919 + index * 2 + 1) | 1) >>> 0;
      this.offsets[index] = mix32(seed * 104729 + index * 2 + 2);
    }
    this.signature = new Uint32Array(this.permutations);
  }

  /** Texts added so far. */
  get size(): number {
    return this.count;
  }

  /** Add a text; returns whether it duplicates one kept earlier (and stores it only if not). */
  add(text: string, scope?: string): NearDuplicateMatch {
    const index = this.count++;
    this.ensureTextCapacity(index + 1);
    const scopeId = this.scopeId(scope);
    this.scopeIds[index] = scopeId;
    const shingles = wordShingles(text);
    this.computeSignature(shingles);
    const keys = this.bandKeys(scopeId);
    const mask = this.tableKeys.length - 1;
    let checked = 0;
    let best = -1;
    let bestSimilarity = 0;
    const seen = this.seenBuffer;
    let seenCount = 0;
    for (let band = 0; band < this.bands && checked < this.maxCandidates; band++) {
      const key = keys[band]!;
      for (let slot = key & mask; this.tableValues[slot] !== EMPTY; slot = (slot + 1) & mask) {
        if (this.tableKeys[slot] !== key) continue;
        const other = this.tableValues[slot]!;
        if (this.scopeIds[other] !== scopeId || seen.subarray(0, seenCount).includes(other)) continue;
        seen[seenCount++] = other;
        checked++;
        this.comparisons++;
        const similarity = jaccard(
          shingles,
          this.store.subarray(this.starts[other]!, this.starts[other]! + this.lengths[other]!),
        );
        if (similarity >= this.threshold && similarity > bestSimilarity) {
          best = other;
          bestSimilarity = similarity;
          if (similarity === 1) break;
        }
        if (checked >= this.maxCandidates) break;
      }
      if (bestSimilarity === 1) break;
    }
    if (best !== -1) {
      this.lengths[index] = 0;
      return { duplicateOf: best, similarity: bestSimilarity };
    }
    this.keep(index, shingles, keys);
    return { duplicateOf: -1, similarity: 0 };
  }

  private keep(index: number, shingles: Uint32Array, keys: Uint32Array): void {
    if (this.stored + shingles.length > this.store.length) {
      const grown = new Uint32Array(Math.max(this.store.length * 2, this.stored + shingles.length));
      grown.set(this.store.subarray(0, this.stored));
      this.store = grown;
    }
    this.store.set(shingles, this.stored);
    this.starts[index] = this.stored;
    this.lengths[index] = shingles.length;
    this.stored += shingles.length;
    if ((this.tableUsed + this.bands) * 2 > this.tableKeys.length) this.growTable();
    const mask = this.tableKeys.length - 1;
    for (let band = 0; band < this.bands; band++) {
      let slot = keys[band]! & mask;
      while (this.tableValues[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.tableKeys[slot] = keys[band]!;
      this.tableValues[slot] = index;
      this.tableUsed++;
    }
  }

  private computeSignature(shingles: Uint32Array): void {
    const { signature, offsets, multipliers, permutations } = this;
    signature.fill(0xffffffff);
    for (let s = 0; s < shingles.length; s++) {
      const value = shingles[s]!;
      for (let k = 0; k < permutations; k++) {
        // A multiply-xorshift permutation of the premixed shingle hash: cheap and good enough for minima.
        let hash = Math.imul(value ^ offsets[k]!, multipliers[k]!);
        hash = (hash ^ (hash >>> 15)) >>> 0;
        if (hash < signature[k]!) signature[k] = hash;
      }
    }
  }

  private readonly keyBuffer = new Uint32Array(64);
  private readonly seenBuffer = new Int32Array(1024);

  private bandKeys(scopeId: number): Uint32Array {
    const keys = this.bands <= 64 ? this.keyBuffer : new Uint32Array(this.bands);
    for (let band = 0; band < this.bands; band++) {
      let hash = mix32(band * 0x27d4eb2f + scopeId * 0x165667b1 + 1);
      for (let row = 0; row < this.rows; row++) {
        hash = mix32(hash ^ this.signature[band * this.rows + row]!);
      }
      keys[band] = hash;
    }
    return keys;
  }

  private growTable(): void {
    const oldKeys = this.tableKeys;
    const oldValues = this.tableValues;
    this.tableKeys = new Uint32Array(oldKeys.length * 2);
    this.tableValues = new Int32Array(oldKeys.length * 2).fill(EMPTY);
    const mask = this.tableKeys.length - 1;
    for (let old = 0; old < oldKeys.length; old++) {
      if (oldValues[old] === EMPTY) continue;
      let slot = oldKeys[old]! & mask;
      while (this.tableValues[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.tableKeys[slot] = oldKeys[old]!;
      this.tableValues[slot] = oldValues[old]!;
    }
  }

  private ensureTextCapacity(size: number): void {
    if (size <= this.starts.length) return;
    const capacity = Math.max(size, this.starts.length * 2);
    const grow = (array: Int32Array) => {
      const grown = new Int32Array(capacity);
      grown.set(array);
      return grown;
    };
    this.starts = grow(this.starts);
    this.lengths = grow(this.lengths);
    this.scopeIds = grow(this.scopeIds);
  }

  private scopeId(scope: string | undefined): number {
    if (scope === undefined) return 0;
    let id = this.scopes.get(scope);
    if (id === undefined) {
      id = this.scopes.size + 1;
      this.scopes.set(scope, id);
    }
    return id;
  }
}

/**
 * Near-duplicate detection over a whole list (see {@link NearDuplicateIndex}): texts earlier in the
 * list win, so sort by priority first. Returns, per text, the index it duplicates (-1 when kept)
 * and the similarity.
 */
export function findNearDuplicates(
  texts: readonly string[],
  options: MinHashOptions & { scopes?: readonly (string | undefined)[] } = {},
): { duplicateOf: Int32Array; similarity: Float32Array; comparisons: number } {
  const index = new NearDuplicateIndex(options);
  const duplicateOf = new Int32Array(texts.length);
  const similarity = new Float32Array(texts.length);
  for (let position = 0; position < texts.length; position++) {
    const match = index.add(texts[position]!, options.scopes?.[position]);
    duplicateOf[position] = match.duplicateOf;
    similarity[position] = match.similarity;
  }
  return { duplicateOf, similarity, comparisons: index.comparisons };
}

/** Exact greedy near-duplicate search by comparing every pair (the baseline the benchmark measures). */
export function findNearDuplicatesNaive(
  texts: readonly string[],
  threshold = 0.8,
): { duplicateOf: Int32Array; similarity: Float32Array } {
  const kept: { index: number; shingles: Uint32Array }[] = [];
  const duplicateOf = new Int32Array(texts.length).fill(-1);
  const similarity = new Float32Array(texts.length);
  for (let position = 0; position < texts.length; position++) {
    const shingles = wordShingles(texts[position]!);
    let best = -1;
    let bestSimilarity = 0;
    for (const other of kept) {
      const value = jaccard(shingles, other.shingles);
      if (value >= threshold && value > bestSimilarity) {
        best = other.index;
        bestSimilarity = value;
      }
    }
    if (best === -1) kept.push({ index: position, shingles });
    duplicateOf[position] = best;
    similarity[position] = bestSimilarity;
  }
  return { duplicateOf, similarity };
}

/**
 * How two query results are compared.
 * - `multiset` (default): rows form a list when the query orders its output (a top-level ORDER BY)
 *   and a multiset otherwise; columns may come in any order (as in Spider's test-suite evaluation).
 * - `strict`: like `multiset`, but the order of columns matters.
 * - `set`: SymGen's looser comparison: a set of rows, each row a set of values, order ignored.
 *
 * In every mode NULLs equal NULLs; an integer equals a real of the same value (3 = 3.0); reals are
 * equal when they agree to {@link FLOAT_DIGITS} significant digits (so 0.1 + 0.2 = 0.3); text and
 * numbers never equal each other ('3' ≠ 3); blobs compare by bytes; and every empty result is equal
 * to every other empty result, whatever its columns.
 *
 * Two cells are equal exactly when their {@link cellKey}s are. Keys are not built from those texts,
 * though: each cell is hashed straight from its value into two independent 32-bit lanes, rows are
 * hashed from their cells, a list key chains the row hashes in order and a multiset key adds them
 * up (an additive multiset hash, 96 bits), so no row is sorted or copied into a string. Unequal
 * results collide with a probability of about 2^-64 per pair.
 */
export type CompareMode = 'multiset' | 'strict' | 'set';

/** Significant digits to which reals are rounded before comparison: the comparison's tolerance. */
export const FLOAT_DIGITS = 10;

/** Canonical keys of one result. Equal keys mean equal results under the mode that made them. */
export interface ResultKeys {
  /** The key to group by: the list key when the query orders a result of two or more rows, else the bag key. */
  readonly key: string;
  /** Key with row order ignored. */
  readonly bagKey: string;
  /** Key with row order kept. */
  readonly listKey: string;
}

/** The canonical text of one cell value, as the comparison sees it (its specification; hashing follows it). */
export function cellKey(value: unknown): string {
  if (value === null || value === undefined) return 'N';
  if (typeof value === 'number') return `n${canonicalNumber(value)}`;
  // A bigint a double holds exactly is that number; a larger one keeps its digits.
  if (typeof value === 'bigint') return `n${exactDouble(value) ?? value}`;
  if (typeof value === 'string') return `s${value}`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('hex')}`;
  return `?${String(value)}`;
}

/** The double equal to `value`, if one is. */
function exactDouble(value: bigint): number | undefined {
  const number = Number(value);
  return Number.isFinite(number) && BigInt(number) === value ? number : undefined;
}

/**
 * The key results group by: the list key when the query orders a result of two or more rows, else
 * the bag key (row order ignored).
 */
export function groupKey(ordered: boolean, rows: number, bagKey: string, listKey: string): string {
  return ordered && rows > 1 ? listKey : bagKey;
}

function canonicalNumber(value: number): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return value === 0 ? 0 : value;
  return Number(value.toPrecision(FLOAT_DIGITS));
}

// Two hash lanes with different constants (MurmurHash3's mixing steps).
const SEED_A = 0x9747b28c | 0;
const SEED_B = 0x2545f491 | 0;
const TAG_NULL = 1;
const TAG_NUMBER = 2;
const TAG_STRING = 3;
const TAG_BLOB = 4;
const TAG_OTHER = 5;

function mixA(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  const h = hash ^ Math.imul(k, 0x1b873593);
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

function mixB(hash: number, word: number): number {
  let k = Math.imul(word, 0x85ebca77);
  k = (k << 13) | (k >>> 19);
  const h = hash ^ Math.imul(k, 0xc2b2ae3d);
  return (Math.imul((h << 17) | (h >>> 15), 9) + 0x27d4eb2f) | 0;
}

function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const float = new Float64Array(1);
const floatWords = new Uint32Array(float.buffer);
// The lanes of the last hashed cell (module state avoids an allocation per cell).
let laneA = 0;
let laneB = 0;

function hashWords(tag: number, low: number, high: number): void {
  laneA = finish(mixA(mixA(mixA(SEED_A, tag), low), high));
  laneB = finish(mixB(mixB(mixB(SEED_B, tag), low), high));
}

function hashText(tag: number, text: string): void {
  let a = mixA(SEED_A, tag);
  let b = mixB(SEED_B, tag);
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    a = mixA(a, code);
    b = mixB(b, code);
  }
  laneA = finish(a ^ length);
  laneB = finish(b ^ length);
}

/** Hash one cell into `laneA`/`laneB`; equal {@link cellKey}s give equal lanes. */
function hashCell(value: unknown): void {
  if (value === null || value === undefined) {
    hashWords(TAG_NULL, 0, 0);
  } else if (typeof value === 'number') {
    // Equal doubles have equal texts and equal bits, so the bits are hashed (as native/run_statement.c does).
    float[0] = canonicalNumber(value);
    hashWords(TAG_NUMBER, floatWords[0]!, floatWords[1]!);
  } else if (typeof value === 'string') {
    hashText(TAG_STRING, value);
  } else if (typeof value === 'bigint') {
    const number = exactDouble(value);
    if (number !== undefined) {
      // A bigint a double holds exactly hashes as that double: its text is the double's text.
      float[0] = number;
      hashWords(TAG_NUMBER, floatWords[0]!, floatWords[1]!);
    } else {
      hashText(TAG_NUMBER, value.toString());
    }
  } else if (value instanceof Uint8Array) {
    let a = mixA(SEED_A, TAG_BLOB);
    let b = mixB(SEED_B, TAG_BLOB);
    for (const byte of value) {
      a = mixA(a, byte);
      b = mixB(b, byte);
    }
    laneA = finish(a ^ value.length);
    laneB = finish(b ^ value.length);
  } else {
    hashText(TAG_OTHER, String(value));
  }
}

/** Bytes a cell counts toward the result size cap. */
export function cellSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof Uint8Array) return value.length;
  return 8;
}

/**
 * Accumulates a result row by row and computes its keys. Rows are hashed as they arrive, so only
 * two 32-bit words per cell are kept.
 */
export class ResultHasher {
  private a: Int32Array;
  private b: Int32Array;
  private width = -1;
  private count = 0;

  constructor(private readonly mode: CompareMode) {
    this.a = new Int32Array(256);
    this.b = new Int32Array(256);
  }

  get rows(): number {
    return this.count;
  }

  /** Add one row of raw SQLite values. */
  add(row: readonly unknown[]): void {
    if (this.width === -1) this.width = row.length;
    const width = this.width;
    const offset = this.count * width;
    if (offset + width > this.a.length) this.grow(offset + width);
    for (let column = 0; column < width; column++) {
      hashCell(row[column]);
      this.a[offset + column] = laneA;
      this.b[offset + column] = laneB;
    }
    this.count++;
  }

  /** The keys of the rows added so far; `ordered` when the query orders its output. */
  keys(ordered: boolean): ResultKeys {
    if (this.count === 0) return { key: 'empty', bagKey: 'empty', listKey: 'empty' };
    if (this.mode === 'set') {
      const key = this.setKey();
      return { key, bagKey: key, listKey: key };
    }
    const order = this.mode === 'multiset' ? this.columnOrder() : identity(this.width);
    const { a, b, width, count } = this;
    let listA = SEED_A;
    let listB = SEED_B;
    let sumA = 0;
    let sumB = 0;
    let sumC = 0;
    for (let row = 0; row < count; row++) {
      let rowA = SEED_A;
      let rowB = SEED_B;
      const offset = row * width;
      for (const column of order) {
        rowA = mixA(rowA, a[offset + column]!);
        rowB = mixB(rowB, b[offset + column]!);
      }
      rowA = finish(rowA ^ width);
      rowB = finish(rowB ^ width);
      listA = mixA(listA, rowA);
      listB = mixB(listB, rowB);
      sumA = (sumA + rowA) | 0;
      sumB = (sumB + rowB) | 0;
      sumC = (sumC + finish(rowA ^ ((rowB << 7) | (rowB >>> 25)))) | 0;
    }
    const shape = `${count}x${width}`;
    const listKey = `list:${shape}:${hex(finish(listA ^ count))}${hex(finish(listB ^ count))}`;
    const bagKey = `bag:${shape}:${hex(sumA)}${hex(sumB)}${hex(sumC)}`;
    return { key: groupKey(ordered, count, bagKey, listKey), bagKey, listKey };
  }

  /**
   * Order columns by a hash of the multiset of their values, so a permutation of columns gives the
   * same order. Columns with equal value multisets keep their relative order.
   */
  private columnOrder(): number[] {
    const { a, b, width, count } = this;
    if (width < 2) return identity(width);
    const signatures = Array.from({ length: width }, (_, column) => {
      let sumA = 0;
      let sumB = 0;
      for (let row = 0; row < count; row++) {
        sumA = (sumA + finish(a[row * width + column]!)) | 0;
        sumB = (sumB + finish(b[row * width + column]!)) | 0;
      }
      return { column, sumA, sumB };
    });
    signatures.sort((x, y) => x.sumA - y.sumA || x.sumB - y.sumB || x.column - y.column);
    return signatures.map((signature) => signature.column);
  }

  /** SymGen's comparison: the set of rows, each row the multiset of its values in any order. */
  private setKey(): string {
    const { a, b, width, count } = this;
    const seen = new Set<number>();
    let sumA = 0;
    let sumB = 0;
    for (let row = 0; row < count; row++) {
      let rowA = 0;
      let rowB = 0;
      for (let column = 0; column < width; column++) {
        rowA = (rowA + finish(a[row * width + column]!)) | 0;
        rowB = (rowB + finish(b[row * width + column]!)) | 0;
      }
      rowA = finish(rowA ^ width);
      rowB = finish(rowB ^ width);
      const id = (rowA >>> 0) * 0x200000 + (rowB >>> 11);
      if (seen.has(id)) continue;
      seen.add(id);
      sumA = (sumA + rowA) | 0;
      sumB = (sumB + rowB) | 0;
    }
    return `set:${seen.size}:${hex(sumA)}${hex(sumB)}`;
  }

  private grow(needed: number): void {
    let size = this.a.length * 2;
    while (size < needed) size *= 2;
    const a = new Int32Array(size);
    const b = new Int32Array(size);
    a.set(this.a);
    b.set(this.b);
    this.a = a;
    this.b = b;
  }
}

function identity(width: number): number[] {
  return Array.from({ length: Math.max(width, 0) }, (_, index) => index);
}

function hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Compute the keys of a result given as rows of raw SQLite values. */
export function resultKeys(
  rows: readonly (readonly unknown[])[],
  ordered: boolean,
  mode: CompareMode,
): ResultKeys {
  const hasher = new ResultHasher(mode);
  for (const row of rows) hasher.add(row);
  return hasher.keys(ordered);
}

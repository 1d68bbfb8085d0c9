import { createHash } from 'node:crypto';

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

const ROW_SEPARATOR = '\u001e';
const CELL_SEPARATOR = '\u001f';

/** The canonical text of one cell value, as the comparison sees it. */
export function cellKey(value: unknown): string {
  if (value === null || value === undefined) return 'N';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return `n${value}`;
    return `n${Number(value.toPrecision(FLOAT_DIGITS))}`;
  }
  if (typeof value === 'bigint') return `n${value}`;
  if (typeof value === 'string') return `s${value}`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('hex')}`;
  return `?${String(value)}`;
}

/** Compute the keys of a result given as rows of cell keys (see {@link cellKey}). */
export function resultKeys(rows: readonly string[][], ordered: boolean, mode: CompareMode): ResultKeys {
  if (rows.length === 0) return { key: 'empty', bagKey: 'empty', listKey: 'empty' };
  if (mode === 'set') {
    const set = [...new Set(rows.map((row) => [...row].sort().join(CELL_SEPARATOR)))].sort();
    const key = `set:${set.length}:${digest(set)}`;
    return { key, bagKey: key, listKey: key };
  }
  const width = rows[0]!.length;
  const order = mode === 'multiset' ? canonicalColumnOrder(rows, width) : null;
  const lines = rows.map((row) =>
    order ? order.map((column) => row[column]).join(CELL_SEPARATOR) : row.join(CELL_SEPARATOR),
  );
  const shape = `${rows.length}x${width}`;
  const listKey = `list:${shape}:${digest(lines)}`;
  const bagKey = `bag:${shape}:${digest([...lines].sort())}`;
  return { key: ordered && rows.length > 1 ? listKey : bagKey, bagKey, listKey };
}

/**
 * Order columns by the multiset of their values, so a permutation of columns gives the same order.
 * Columns with equal value multisets keep their relative order.
 */
function canonicalColumnOrder(rows: readonly string[][], width: number): number[] {
  if (width < 2) return [0];
  const signatures = Array.from({ length: width }, (_, column) =>
    rows
      .map((row) => row[column] ?? '')
      .sort()
      .join(ROW_SEPARATOR),
  );
  return signatures
    .map((signature, column) => ({ signature, column }))
    .sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : a.column - b.column))
    .map((entry) => entry.column);
}

function digest(lines: readonly string[]): string {
  const hash = createHash('sha1');
  for (const line of lines) {
    hash.update(line);
    hash.update(ROW_SEPARATOR);
  }
  return hash.digest('base64url').slice(0, 22);
}

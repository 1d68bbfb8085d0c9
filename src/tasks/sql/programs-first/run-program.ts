import type Database from 'better-sqlite3';
import { type Program, renderSql, type SelectQuery } from './program.js';

/** How one sampled program ran. */
export interface ProgramRun {
  readonly status: 'ok' | 'error' | 'too-large';
  readonly rows: number;
  /** The first rows, JSON-ready (blobs as hex text). */
  readonly preview: unknown[][];
  readonly error?: string;
}

/** Why a program that runs is not kept. */
export type DegenerateReason =
  | 'empty'
  | 'vacuous-where'
  | 'vacuous-having'
  | 'vacuous-except'
  | 'vacuous-set';

/**
 * Run a sampled program on the read-only connection, counting at most `maxRows` rows. The programs
 * are our own (built from the schema, reading only tables with key joins), so they run in-process;
 * model-written SQL goes through the sandboxed executor instead.
 */
export function runProgram(db: Database.Database, sql: string, maxRows: number, previewRows = 5): ProgramRun {
  try {
    const statement = db.prepare(sql).raw(true);
    const preview: unknown[][] = [];
    let rows = 0;
    for (const row of statement.iterate() as IterableIterator<unknown[]>) {
      rows++;
      if (rows <= previewRows) preview.push(row.map(jsonValue));
      if (rows > maxRows) return { status: 'too-large', rows, preview };
    }
    return { status: 'ok', rows, preview };
  } catch (error) {
    return { status: 'error', rows: 0, preview: [], error: (error as Error).message };
  }
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function count(db: Database.Database, sql: string): number {
  return (db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get() as number) ?? 0;
}

/**
 * Why a program that ran is degenerate, or `null`: an empty result; a WHERE that keeps no row (an
 * aggregate over nothing still returns one row) or every row of the tables it filters; a HAVING
 * that keeps every group; a set operation whose sides are the same set, or an EXCEPT that removes
 * nothing.
 */
export function degenerateReason(
  db: Database.Database,
  program: Program,
  rows: number,
): DegenerateReason | null {
  if (rows === 0) return 'empty';
  if (program.kind === 'set') {
    for (const side of [program.left, program.right]) {
      const reason = whereReason(db, side);
      if (reason) return reason;
    }
    const left = count(db, renderSql({ ...program.left, distinct: true }));
    const right = count(db, renderSql({ ...program.right, distinct: true }));
    if (program.op === 'except') return left === rows ? 'vacuous-except' : null;
    return left === rows && right === rows ? 'vacuous-set' : null;
  }
  const reason = whereReason(db, program);
  if (reason) return reason;
  if (program.having) {
    const { having: _having, orderBy: _order, limit: _limit, ...rest } = program;
    const { orderBy: _o, limit: _l, ...withHaving } = program;
    if (count(db, renderSql(rest)) === count(db, renderSql(withHaving))) return 'vacuous-having';
  }
  return null;
}

/** A WHERE that keeps no row, or every row of the joined tables. */
function whereReason(db: Database.Database, query: SelectQuery): DegenerateReason | null {
  if (!query.where) return null;
  const bare: SelectQuery = {
    kind: 'select',
    sources: query.sources,
    joins: query.joins,
    distinct: false,
    select: [{ kind: 'aggregate', fn: 'count', ref: null }],
  };
  const filtered = db
    .prepare(renderSql({ ...bare, where: query.where }))
    .pluck()
    .get() as number;
  if (filtered === 0) return 'empty';
  const unfiltered = db.prepare(renderSql(bare)).pluck().get() as number;
  return filtered === unfiltered ? 'vacuous-where' : null;
}

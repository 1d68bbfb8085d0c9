import type Database from 'better-sqlite3';
import type { GuardedConnection } from './guarded-connection.js';
import { ordersNormalisedOutput } from './order-by.js';
import type { SqliteJob, SqliteJobResult, SqliteLimits } from './protocol.js';
import { cellSize, groupKey, ResultHasher } from './result-key.js';
import type { SqlExecutionResult } from './sqlite-executor.js';

/** A statement's result without the job id: what the executor process and the in-thread runner both produce. */
export type StatementResult = Omit<SqliteJobResult, 'id'>;

/**
 * Prepare and run one read-only statement on an open connection under the row and byte caps, and
 * hash its result. `normalised` is the parser's canonical form when one was computed. Errors become
 * error results; the caller decides what an interrupt means.
 */
export function runStatement(
  db: Database.Database,
  job: Pick<SqliteJob, 'sql' | 'textKey'>,
  limits: SqliteLimits,
  started: number,
  normalised?: string,
): StatementResult {
  const answer = outcome(normalised, started);
  let statement: Database.Statement;
  try {
    statement = db.prepare(job.sql);
  } catch (error) {
    return answer.failed(firstLine(error), 'prepare');
  }
  if (!statement.reader || !statement.readonly) return answer.refused();
  let read: ReadRows;
  try {
    statement.raw(true);
    read = readRows(statement, limits, Math.min(COUNT_AFTER_ROWS, limits.maxRows));
    if (read.stop === 'paused') {
      // Many rows: count them inside SQLite, far cheaper than reading each out, before reading them all.
      const count = countRows(db, job.sql, limits.maxRows);
      read =
        count !== undefined && count > limits.maxRows
          ? { stop: 'rows' }
          : readRows(statement, limits, limits.maxRows);
    }
  } catch (error) {
    return isInterrupt(error) ? answer.timeout(limits) : answer.failed(firstLine(error));
  }
  if (read.stop !== undefined)
    return answer.failed(capMessage(read.stop === 'bytes' ? 'bytes' : 'rows', limits));
  const { hasher, preview } = read;
  const ordered = ordersNormalisedOutput(job.textKey);
  return answer.ok({
    ...hasher.keys(ordered),
    ordered,
    rows: hasher.rows,
    columns: statement.columns().map((column) => column.name),
    preview,
  });
}

/**
 * {@link runStatement} on a guarded connection, in C (`symgen_guard_run`): the statement runs and its
 * result is hashed without a JavaScript value per cell, to the same result. An answer too long for
 * SQLite's length limit (a preview of huge cells) is run again here in JavaScript.
 */
export function runGuarded(
  connection: GuardedConnection,
  job: Pick<SqliteJob, 'sql' | 'textKey'>,
  limits: SqliteLimits,
  started: number,
  normalised?: string,
): StatementResult {
  const answer = outcome(normalised, started);
  const native = connection.run(job.sql, limits);
  if ('rows' in native) {
    const ordered = ordersNormalisedOutput(job.textKey);
    const { rows, bagKey, listKey, columns, preview } = native;
    return answer.ok({
      key: groupKey(ordered, rows, bagKey, listKey),
      bagKey,
      listKey,
      ordered,
      rows,
      columns,
      preview,
    });
  }
  if ('error' in native) return answer.failed(firstLine(native.error), native.phase);
  if ('stop' in native) return answer.failed(capMessage(native.stop, limits));
  if ('refused' in native) return answer.refused();
  if ('timeout' in native) return answer.timeout(limits);
  connection.arm(limits.timeoutMs);
  return runStatement(connection.db, job, limits, started, normalised);
}

/** The result shapes of one statement, with its parser form and its time so far. */
function outcome(normalised: string | undefined, started: number) {
  const base = normalised ? { normalised } : {};
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  return {
    ok: (result: Omit<StatementResult, 'status' | 'durationMs' | 'normalised'>): StatementResult => ({
      ...base,
      status: 'ok',
      ...result,
      durationMs: elapsed(),
    }),
    failed: (error: string, phase?: 'prepare'): StatementResult =>
      phase
        ? { ...base, status: 'error', phase, error, durationMs: elapsed() }
        : { ...base, status: 'error', error, durationMs: elapsed() },
    refused: (): StatementResult => ({
      ...base,
      status: 'refused',
      error: 'only read-only queries may run',
      durationMs: elapsed(),
    }),
    timeout: (limits: SqliteLimits): StatementResult => ({
      ...base,
      status: 'timeout',
      error: timeoutMessage(limits.timeoutMs),
      durationMs: elapsed(),
    }),
  };
}

function capMessage(stop: 'rows' | 'bytes', limits: SqliteLimits): string {
  return stop === 'bytes'
    ? `result is larger than ${limits.maxBytes} bytes`
    : `result has more than ${limits.maxRows} rows`;
}

/**
 * Rows read out before a statement's row count is taken inside SQLite. A runaway join that would
 * pass the row cap is then stopped after this many rows plus one count, not after the cap.
 */
const COUNT_AFTER_ROWS = 1000;

type ReadRows =
  | { readonly stop?: undefined; readonly hasher: ResultHasher; readonly preview: unknown[][] }
  /** Over the row cap, over the byte cap, or `limit` rows read with more to come. */
  | { readonly stop: 'rows' | 'bytes' | 'paused' };

/** Read and hash the statement's rows from the start, stopping at the caps or after `limit` rows. */
function readRows(statement: Database.Statement, limits: SqliteLimits, limit: number): ReadRows {
  const hasher = new ResultHasher(limits.compare);
  const preview: unknown[][] = [];
  let bytes = 0;
  for (const row of statement.iterate() as IterableIterator<unknown[]>) {
    if (hasher.rows >= limit) return { stop: limit < limits.maxRows ? 'paused' : 'rows' };
    for (const value of row) bytes += cellSize(value);
    if (bytes > limits.maxBytes) return { stop: 'bytes' };
    hasher.add(row);
    if (preview.length < limits.previewRows) preview.push(row.map(jsonSafe));
  }
  return { hasher, preview };
}

/**
 * The statement's row count, counted up to `cap + 1` inside SQLite; undefined when the statement
 * cannot be wrapped as a subquery (a trailing comment after a semicolon). The count runs under the
 * statement's own time budget.
 */
export function countRows(db: Database.Database, sql: string, cap: number): number | undefined {
  const inner = sql.replace(/[\s;]+$/, '');
  let counter: Database.Statement;
  try {
    counter = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM (\n${inner}\n) LIMIT ${cap + 1})`);
  } catch {
    return undefined;
  }
  return counter.pluck().get() as number;
}

/** A statement's result as executors return it: named by its text normal form, `rows` as `size`. */
export function toExecutionResult(
  raw: StatementResult | SqliteJobResult,
  textKey: string,
): SqlExecutionResult {
  const { id: _id, rows, cached: _cached, ...rest } = raw as SqliteJobResult;
  return { normalised: textKey, ...rest, ...(rows === undefined ? {} : { size: rows }) };
}

/** The message of a statement stopped at its time budget (the same from processes and threads). */
export function timeoutMessage(timeoutMs: number): string {
  return `statement ran longer than ${timeoutMs} ms and was interrupted`;
}

function isInterrupt(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_INTERRUPT';
}

/** The first line of an error's message, at most 300 characters. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}

function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  return value;
}

import type { ExecutionStatus } from '../../spec.js';
import type { CompareMode } from './result-key.js';
import type { SqliteExecutorOptions } from './sqlite-executor.js';

/** Limits and comparison settings an executor process runs with. */
export interface SqliteLimits {
  /** Wall-clock budget of one statement, in milliseconds. */
  readonly timeoutMs: number;
  /** Most rows a result may have; a larger one is an error result. */
  readonly maxRows: number;
  /** Most bytes of cell text a result may hold; a larger one is an error result. */
  readonly maxBytes: number;
  /** SQLite heap limit of the executor process, in bytes. */
  readonly heapLimitBytes: number;
  /** Rows kept in the preview of each result. */
  readonly previewRows: number;
  readonly compare: CompareMode;
  /** Also canonicalise each statement with the real SQL parser (costs more than most statements). */
  readonly parserCanonical: boolean;
}

/** One statement to run. */
export interface SqliteJob {
  readonly id: number;
  readonly dbPath: string;
  readonly sql: string;
  /** The parent's cheap normal form of `sql` (see `normaliseSql`): cache key, and read for a top-level ORDER BY. */
  readonly textKey: string;
}

export interface SqliteJobResult {
  readonly id: number;
  readonly status: ExecutionStatus;
  readonly key?: string;
  readonly bagKey?: string;
  readonly listKey?: string;
  readonly ordered?: boolean;
  readonly rows?: number;
  readonly columns?: string[];
  readonly preview?: unknown[][];
  readonly error?: string;
  /** `prepare` when the statement did not compile (its message quotes its own text). */
  readonly phase?: 'prepare';
  readonly normalised?: string;
  readonly durationMs: number;
  /** True when this result came from the executor's cache. */
  readonly cached?: boolean;
}

export type ParentMessage = { type: 'init'; limits: SqliteLimits } | { type: 'run'; jobs: SqliteJob[] };

export type ChildMessage =
  | { type: 'ready'; sqliteVersion: string }
  | { type: 'results'; results: SqliteJobResult[] }
  | { type: 'fatal'; error: string };

/** The statement limits `options` ask for, with the documented defaults filled in. */
export function resolveSqliteLimits(options: SqliteExecutorOptions = {}): SqliteLimits {
  return {
    timeoutMs: options.timeoutMs ?? 5000,
    maxRows: options.maxRows ?? 100_000,
    maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
    heapLimitBytes: options.heapLimitBytes ?? 256 * 1024 * 1024,
    previewRows: options.previewRows ?? 5,
    compare: options.compare ?? 'multiset',
    parserCanonical: options.normalise === 'parser',
  };
}

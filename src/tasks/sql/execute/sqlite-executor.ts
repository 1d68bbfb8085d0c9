import { availableParallelism } from 'node:os';
import { SandboxError } from '../../../errors/index.js';
import type { ExecuteOptions, ExecutionEnvironment, ExecutionResult, Executor } from '../../spec.js';
import { ExecutorProcess } from './executor-process.js';
import { ProgramCache, sharesAcrossTexts } from './program-cache.js';
import { resolveSqliteLimits, type SqliteLimits } from './protocol.js';
import type { CompareMode } from './result-key.js';
import { toExecutionResult } from './run-statement.js';

/** Options of the SQLite executor. */
export interface SqliteExecutorOptions {
  /**
   * Executor processes to run statements in parallel.
   * @default one less than the number of cores (the parent extracts, normalises and votes), from 1 to 4
   */
  workers?: number;
  /**
   * Wall-clock budget of one statement in milliseconds; a statement past it is interrupted.
   * @default 5000
   */
  timeoutMs?: number;
  /** @default 100000 */
  maxRows?: number;
  /** @default 33554432 (32 MiB) */
  maxBytes?: number;
  /** SQLite heap limit of each executor process in bytes. @default 268435456 (256 MiB) */
  heapLimitBytes?: number;
  /** @default 5 */
  previewRows?: number;
  /** How results are compared; see {@link CompareMode}. @default 'multiset' */
  compare?: CompareMode;
  /**
   * The normal form programs are deduplicated by and reported with. `text`: the cheap lexical form
   * (`normaliseSql`). `parser`: also the real SQL parser's canonical rendering, computed in the
   * executor processes; it merges a few more programs but costs more than most statements do.
   * @default 'text'
   */
  normalise?: 'text' | 'parser';
}

/** A SQL execution result with the keys the evaluator needs. */
export interface SqlExecutionResult extends ExecutionResult {
  readonly bagKey?: string;
  readonly listKey?: string;
  /** True when the statement orders its output. */
  readonly ordered?: boolean;
  readonly columns?: string[];
  /** `prepare` when the statement did not compile: such a result answers only its own text. */
  readonly phase?: 'prepare';
}

/** Counters of the executor's work. */
export interface SqliteExecutorStats {
  /** Calls to `execute`. */
  requests: number;
  /** Calls answered from the parent's cache (same database, same text normal form). */
  cacheHits: number;
  /** Statements the executor processes ran (their own parser-level cache hits excluded). */
  executed: number;
  /** Processes started, restarts after a timeout or crash included. */
  processStarts: number;
}

/**
 * Executes SQL against SQLite databases in separate processes, read-only, with a time budget per
 * statement and caps on result size. Each distinct program (after normalisation) runs once per
 * database: a cache in front answers repeats.
 */
export class SqliteExecutor implements Executor {
  private readonly processes: ExecutorProcess[];
  private readonly cache = new ProgramCache<Promise<SqlExecutionResult>>();
  private nextId = 0;
  private closed = false;
  private executed = 0;
  readonly limits: SqliteLimits;

  constructor(options: SqliteExecutorOptions = {}) {
    this.limits = resolveSqliteLimits(options);
    const workers = options.workers ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    if (!Number.isInteger(workers) || workers < 1) {
      throw new SandboxError(`Expected \`workers\` to be a whole number from 1 up, got ${workers}`);
    }
    this.processes = Array.from({ length: workers }, () => new ExecutorProcess(this.limits));
  }

  /** Start every executor process now (they otherwise start on the first statement), so start-up overlaps other work. */
  warmUp(): void {
    if (this.closed) return;
    for (const process of this.processes) process.warmUp();
  }

  /** The SQLite library version the executor processes run, once one has started. */
  get sqliteVersion(): string {
    return this.processes.find((process) => process.sqliteVersion)?.sqliteVersion ?? '';
  }

  get stats(): SqliteExecutorStats {
    return {
      ...this.cache.counters,
      executed: this.executed,
      processStarts: this.processes.reduce((sum, process) => sum + process.starts, 0),
    };
  }

  execute(
    program: string,
    environment: ExecutionEnvironment,
    options: ExecuteOptions = {},
  ): Promise<SqlExecutionResult> {
    if (this.closed) return Promise.reject(new SandboxError('the SQLite executor is closed'));
    if (!environment.path) {
      return Promise.reject(new SandboxError(`no database file for environment ${environment.id}`));
    }
    // Exact repeats are answered before normalising; equal normal forms next.
    const found = this.cache.lookup(environment.path, program, options.normalised);
    if (found.exact) return found.hit;
    const { textKey, key } = found;
    const path = environment.path;
    const run = () => {
      const process = this.processes[hashIndex(key, this.processes.length)]!;
      return process.run({ id: this.nextId++, dbPath: path, sql: program, textKey }).then((raw) => {
        if (!raw.cached && raw.status !== 'refused') this.executed++;
        return toExecutionResult(raw, textKey);
      });
    };
    // Another text with this normal form: its result answers this one too, unless it did not compile.
    const known = found.hit;
    const result = known
      ? known.then((other) => {
          if (!sharesAcrossTexts(other)) return run();
          this.cache.counters.cacheHits++;
          return other;
        })
      : run();
    found.store(result);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.processes.map((process) => process.close()));
  }
}

/** Route equal programs to the same process, so its parser-level cache sees every repeat. */
function hashIndex(text: string, buckets: number): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % buckets;
}

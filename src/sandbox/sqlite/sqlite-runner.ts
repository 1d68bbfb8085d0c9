import { SandboxError } from '../../errors/index.js';
import type { ExecuteOptions, ExecutionEnvironment, Executor } from '../../tasks/spec.js';
import { normaliseSql } from '../../tasks/sql/normalise.js';
import { refusalReasonNormalised } from './guard.js';
import { guardAvailable } from './guard-extension.js';
import { type GuardedConnection, openGuarded } from './guarded-connection.js';
import type { SqliteLimits } from './protocol.js';
import { runStatement, type StatementResult } from './run-statement.js';
import type { SqlExecutionResult, SqliteExecutorStats } from './sqlite-executor.js';

const MAX_OPEN_DATABASES = 32;

/**
 * Runs SQL in this thread, synchronously, on connections guarded by the `symgen_guard` extension:
 * read-only, reading-only statements, each interrupted at its time budget, results capped in rows
 * and bytes. Each distinct program (text normal form) runs once per database. Worker threads use it
 * to verify without a round trip per statement; `SqliteExecutor` is the cross-process equivalent.
 */
export class SqliteRunner implements Executor {
  private readonly connections = new Map<string, GuardedConnection>();
  private readonly cache = new Map<string, SqlExecutionResult>();
  private readonly counters = { requests: 0, cacheHits: 0, executed: 0 };
  /** The parser's canonical rendering, once `init` loaded it (the WebAssembly parser is loaded only when asked for). */
  private format: ((sql: string) => string | null) | undefined;

  constructor(readonly limits: SqliteLimits) {
    if (!guardAvailable()) {
      throw new SandboxError(
        'the symgen_guard SQLite extension is not built (run `npm run build` with a C compiler installed)',
      );
    }
  }

  /** Load the SQL parser when the limits ask for its canonical form; without it, text normal forms are used. */
  async init(): Promise<void> {
    if (!this.limits.parserCanonical || this.format) return;
    try {
      const { formatSql, loadSqlParser } = await import('../../tasks/sql/parse.js');
      await loadSqlParser();
      this.format = formatSql;
    } catch {
      // Normalisation falls back to text; execution is unaffected.
    }
  }

  get stats(): SqliteExecutorStats {
    return { ...this.counters, processStarts: 0 };
  }

  execute(
    program: string,
    environment: ExecutionEnvironment,
    options: ExecuteOptions = {},
  ): Promise<SqlExecutionResult> {
    try {
      return Promise.resolve(this.run(program, environment, options.normalised));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Run `program` (or answer it from the cache) and return its result. */
  run(program: string, environment: ExecutionEnvironment, normalised?: string): SqlExecutionResult {
    const path = environment.path;
    if (!path) throw new SandboxError(`no database file for environment ${environment.id}`);
    this.counters.requests++;
    const rawKey = `${path}\u0001${program}`;
    const exact = this.cache.get(rawKey);
    if (exact) {
      this.counters.cacheHits++;
      return exact;
    }
    const textKey = normalised ?? normaliseSql(program);
    const cacheKey = `${path}\u0000${textKey}`;
    let result = this.cache.get(cacheKey);
    if (result) {
      this.counters.cacheHits++;
    } else {
      const canonical = this.format?.(program) ?? undefined;
      const canonicalKey = canonical === undefined ? undefined : `${path}\u0002${normaliseSql(canonical)}`;
      result = canonicalKey === undefined ? undefined : this.cache.get(canonicalKey);
      if (!result) {
        result = toResult(this.runFresh(path, program, textKey, canonical), textKey);
        if (result.status !== 'refused') this.counters.executed++;
        if (canonicalKey !== undefined) this.cache.set(canonicalKey, result);
      }
      this.cache.set(cacheKey, result);
    }
    this.cache.set(rawKey, result);
    return result;
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  closeSync(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }

  private runFresh(
    path: string,
    sql: string,
    textKey: string,
    canonical: string | undefined,
  ): StatementResult {
    const started = performance.now();
    const refusal = refusalReasonNormalised(textKey);
    if (refusal) return { status: 'refused', error: refusal, durationMs: 0 };
    const connection = this.open(path);
    // Re-armed before every statement, never disarmed: a late interrupt between statements is void.
    connection.arm(this.limits.timeoutMs);
    return runStatement(connection.db, { sql, textKey }, this.limits, started, canonical);
  }

  private open(path: string): GuardedConnection {
    const existing = this.connections.get(path);
    if (existing) return existing;
    if (this.connections.size >= MAX_OPEN_DATABASES) {
      const [oldestPath, oldest] = this.connections.entries().next().value as [string, GuardedConnection];
      oldest.close();
      this.connections.delete(oldestPath);
    }
    const connection = openGuarded(path, this.limits.maxBytes);
    this.connections.set(path, connection);
    return connection;
  }
}

function toResult(raw: StatementResult, textKey: string): SqlExecutionResult {
  const { rows, cached: _cached, ...rest } = raw;
  return { normalised: textKey, ...rest, ...(rows === undefined ? {} : { size: rows }) };
}

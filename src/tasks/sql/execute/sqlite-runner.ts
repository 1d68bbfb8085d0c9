import { SandboxError } from '../../../errors/index.js';
import type { ExecuteOptions, ExecutionEnvironment, Executor } from '../../spec.js';
import { normaliseSql } from '../normalise.js';
import { ConnectionCache } from './connection-cache.js';
import { refusalReasonNormalised } from './guard.js';
import { guardAvailable } from './guard-extension.js';
import { type GuardedConnection, openGuarded } from './guarded-connection.js';
import { ProgramCache, sharesAcrossTexts } from './program-cache.js';
import type { SqliteLimits } from './protocol.js';
import { runGuarded, type StatementResult, toExecutionResult } from './run-statement.js';
import type { SqlExecutionResult, SqliteExecutorStats } from './sqlite-executor.js';

/**
 * Runs SQL in this thread, synchronously, on connections guarded by the `symgen_guard` extension:
 * read-only, reading-only statements, each interrupted at its time budget, results capped in rows
 * and bytes. Each distinct program (text normal form) runs once per database. Worker threads use it
 * to verify without a round trip per statement; `SqliteExecutor` is the cross-process equivalent.
 */
export class SqliteRunner implements Executor {
  private readonly connections: ConnectionCache<GuardedConnection>;
  private readonly cache = new ProgramCache<SqlExecutionResult>();
  private readonly canonicalResults = new Map<string, SqlExecutionResult>();
  private executed = 0;
  /** The parser's canonical rendering, once `init` loaded it (the WebAssembly parser is loaded only when asked for). */
  private format: ((sql: string) => string | null) | undefined;

  constructor(readonly limits: SqliteLimits) {
    if (!guardAvailable()) {
      throw new SandboxError(
        'the symgen_guard SQLite extension is not built (run `npm run build` with a C compiler installed)',
      );
    }
    this.connections = new ConnectionCache((path) => openGuarded(path, limits.maxBytes));
  }

  /** Load the SQL parser when the limits ask for its canonical form; without it, text normal forms are used. */
  async init(): Promise<void> {
    if (!this.limits.parserCanonical || this.format) return;
    try {
      const { formatSql, loadSqlParser } = await import('../parse.js');
      await loadSqlParser();
      this.format = formatSql;
    } catch {
      // Normalisation falls back to text; execution is unaffected.
    }
  }

  get stats(): SqliteExecutorStats {
    return { ...this.cache.counters, executed: this.executed, processStarts: 0 };
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
    const found = this.cache.lookup(path, program, normalised);
    if (found.exact) return found.hit;
    if (found.hit && sharesAcrossTexts(found.hit)) return found.reuse();
    const { textKey } = found;
    // With the parser loaded, programs that differ in text but print alike share one execution.
    const canonical = this.format?.(program) ?? undefined;
    const canonicalKey = canonical === undefined ? undefined : `${path}\u0002${normaliseSql(canonical)}`;
    const known = canonicalKey === undefined ? undefined : this.canonicalResults.get(canonicalKey);
    let result = known && sharesAcrossTexts(known) ? known : undefined;
    if (!result) {
      result = toExecutionResult(this.runFresh(path, program, textKey, canonical), textKey);
      if (result.status !== 'refused') this.executed++;
      if (canonicalKey !== undefined && !known) this.canonicalResults.set(canonicalKey, result);
    }
    found.store(result);
    return result;
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  closeSync(): void {
    this.connections.closeAll();
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
    // The statement runs and its result is hashed in C, armed with its budget and disarmed after.
    return runGuarded(this.connections.get(path), { sql, textKey }, this.limits, started, canonical);
  }
}

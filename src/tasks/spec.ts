/**
 * The task plugin contract: what a symbolic language must provide so symgen can verify, dedup and
 * evaluate programs written in it. Types only; implementations live in sibling folders (`sql/`, ...).
 */

/** How one execution of one program ended. Results are data, never exceptions. */
export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'refused' | 'crash';

/** The outcome of executing one program in one environment (for SQL: one database). */
export interface ExecutionResult {
  readonly status: ExecutionStatus;
  /**
   * A canonical key of the result: two programs whose results are equal under the task's comparison
   * have equal keys. Present only when `status` is `ok`.
   */
  readonly key?: string;
  /** A short, human-readable preview of the result (for SQL: the first rows). */
  readonly preview?: unknown;
  /** Size of the result (for SQL: the row count). */
  readonly size?: number;
  /** Why it failed, one line, when `status` is not `ok`. */
  readonly error?: string;
  /** The program as the executor canonicalised it with a real parser, when it parsed. */
  readonly normalised?: string;
  readonly durationMs: number;
}

/** Where a program runs: the task decides what an environment is (for SQL, a database file). */
export interface ExecutionEnvironment {
  /** Identifier of the environment, e.g. a Spider `db_id`. */
  readonly id: string;
  /** Path to the resource the program runs against, when there is one. */
  readonly path?: string;
}

/** Options of one execution. */
export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  /** The task's `normalise(program)`, when the caller has it already: saves computing it again. */
  readonly normalised?: string;
}

/** Executes programs of one task. Implementations own their processes and caches. */
export interface Executor {
  /** Execute one program; resolves with a result (failures included), rejects only if the executor is unusable. */
  execute(
    program: string,
    environment: ExecutionEnvironment,
    options?: ExecuteOptions,
  ): Promise<ExecutionResult>;
  /** Stop every process the executor started. Safe to call twice. */
  close(): Promise<void>;
}

/** A symbolic-language task plugin. */
export interface Task<Options = unknown> {
  /** The task's name on the command line (`--task sql`). */
  readonly id: string;
  /** Pull the program out of model text (code fences, prose, continuations). `null` when there is none. */
  extract(text: string): string | null;
  /** A cheap canonical text form: equal forms are the same program (used for dedup before execution). */
  normalise(program: string): string;
  /**
   * `extract` then `normalise` in one pass, when the task can share the work (SQL tokenizes once).
   * Must give the same answer as the two calls.
   */
  prepare?(text: string): { program: string; normalised: string } | null;
  /** Create an executor for this task. */
  createExecutor(options?: Options): Executor;
  /** Structural features of a program (for SQL: hardness, clauses, tables), for curation and evaluation. */
  features?(program: string): Record<string, unknown>;
}

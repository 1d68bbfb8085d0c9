/**
 * The task plugin contract: what a symbolic language must provide so symgen can verify, dedup and
 * evaluate programs written in it. Types only; implementations live in sibling folders (`sql/`, ...).
 */

import type { VerifySummary } from '../verify/summary.js';
import type { TaskVerifyFileRequest } from '../verify/verify-task-file.js';

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
  /** Task-specific data of the example the program runs for (tests, inputs, a fixture), when there is some. */
  readonly data?: unknown;
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
  /**
   * Whether a predicted result counts as the gold result in evaluation, when the task's rule depends
   * on the gold (SQL: rows in order when the gold orders more than one row, else as multisets).
   * Default: both are `ok` and their keys are equal.
   */
  matches?(predicted: ExecutionResult, gold: ExecutionResult): boolean;
  /**
   * A static check of a program that ran in `environment`: a flag when the program is suspect even
   * though it runs (for SQL, `type-trap`: a TEXT column holding numbers compared or ordered as text).
   * A flagged candidate cannot win the vote; when it would have won, the example is rejected with the
   * flag's reason unless unflagged candidates win on their own.
   */
  check?(program: string, environment: ExecutionEnvironment): { reason: string; detail: string } | undefined;
}

/**
 * One input record of a task, as read from JSONL: the fields a dataset or a verify line carries
 * (`question`, `tests`, `inputs`, `db_id`, ...). Tasks read the fields they know and ignore the rest.
 */
export type TaskRecord = Readonly<Record<string, unknown>>;

/** What a gold record expects, for `symgen evaluate`: a program to execute, or a result key given directly. */
export type TaskReference =
  | { readonly program: string; readonly key?: undefined; readonly display?: string }
  | { readonly key: string; readonly program?: undefined; readonly display: string };

/**
 * Optional parts of a task plugin beyond `Task`: every built-in task but SQL implements them, and a
 * user-defined task may. See docs/tasks.md.
 */
export interface TaskExtras {
  /** One line: what the programs of this task are, shown in `--help` and prompts. */
  readonly description?: string;
  /**
   * The symbolic knowledge a prompt carries for one example (a function signature and tests, the
   * label inventory of a parse, a fixture listing), as text.
   */
  knowledge?(record: TaskRecord): string;
  /**
   * The environment one example's candidates run in, built from its record (for Python: its tests
   * and shared inputs; for Bash: the fixture). Default: `{ id: String(record.id) }`.
   */
  environment?(record: TaskRecord): ExecutionEnvironment;
  /** What a gold record expects, for evaluation. `null` when the record holds no gold. */
  reference?(record: TaskRecord): TaskReference | null;
  /** Draw one program without a model (programs-first generation), from a seeded `random`. */
  sample?(random: () => number): string;
  /** Describe a program in words (a draft question for programs-first generation). */
  describe?(program: string): string;
  /**
   * The task's own verifier of whole files, which `verifyTaskFile` (and so `symgen verify`) hands the
   * checked request to instead of running its per-example stream. It must write the bytes the stream
   * would write, faster: SQL's runs statements on worker threads in C (tasks/sql/verify-threads/).
   * Leave it out unless the generic path is too slow for the task.
   */
  verifyFile?(request: TaskVerifyFileRequest): Promise<VerifySummary>;
}

/** A task plugin with its optional parts: what the registry, `symgen verify` and `symgen evaluate` take. */
export type TaskPlugin<Options = unknown> = Task<Options> & TaskExtras;

import { ConfigError } from '../errors/index.js';
import type { RunStore } from '../store/run-store.js';
import { DEFAULT_TASK, loadBuiltinTask, loadTaskModule } from '../tasks/registry/index.js';
import type { ExecutionEnvironment, ExecutionResult, Executor, TaskPlugin } from '../tasks/spec.js';
import { DatabaseSet } from '../tasks/sql/databases.js';

/** What a run directory's `run.sqlite` says about the run (the stored `generate` config). */
export interface RunConfig {
  readonly task?: string;
  readonly taskModule?: string;
  readonly taskOptions?: Record<string, unknown>;
  readonly knowledge?: { readonly db?: string };
  readonly verify?: { readonly timeoutMs?: number; readonly compare?: string };
  readonly [key: string]: unknown;
}

/** The stored config of a run (`{}` when the run has none, e.g. one assembled from verified lines). */
export function runConfig(store: RunStore): RunConfig {
  const text = store.getMeta('config');
  if (!text) return {};
  try {
    return JSON.parse(text) as RunConfig;
  } catch {
    return {};
  }
}

/**
 * A run's task, opened through the task contract: the environment of a dataset line and an
 * executor, created on first use (SQL: guarded read-only connections in executor processes;
 * Python and Bash: the bubblewrap sandbox). Nothing here knows which language the run is in.
 */
export class RunTask {
  private executor: Executor | undefined;
  private ready: Promise<void> | undefined;
  private constructor(
    readonly task: TaskPlugin<never>,
    private readonly source: (id: string | undefined) => ExecutionEnvironment | undefined,
    private readonly executorOptions: Record<string, unknown>,
  ) {}

  /** Opens the task of a run: `config.task` (default `sql`), or the user module `config.taskModule`. */
  static async open(store: RunStore, options: { taskModule?: string } = {}): Promise<RunTask> {
    const config = runConfig(store);
    const moduleFile = options.taskModule ?? config.taskModule;
    let task: TaskPlugin<never>;
    if (moduleFile) task = (await loadTaskModule(moduleFile)) as TaskPlugin<never>;
    else task = await loadBuiltinTask(config.task ?? DEFAULT_TASK);
    if (config.task && task.id !== config.task) {
      throw new ConfigError('--task-module', [
        {
          path: '',
          message: `the run is of task ${JSON.stringify(config.task)}, the module defines ${JSON.stringify(task.id)}`,
        },
      ]);
    }
    const executorOptions: Record<string, unknown> = {
      timeoutMs: config.verify?.timeoutMs ?? 5000,
      workers: 1,
      ...(config.verify?.compare ? { compare: config.verify.compare } : {}),
      ...(config.taskOptions ?? {}),
    };
    return new RunTask(task, runSources(config), executorOptions);
  }

  /** The environment the programs of a dataset line run in (its source, then the task's own data). */
  environment(record: Record<string, unknown>): ExecutionEnvironment {
    const sourceId = typeof record.db_id === 'string' ? record.db_id : undefined;
    const source = this.source(sourceId);
    if (this.task.environment) {
      // the source is passed on for tasks that place a line among the run's sources (issue 14)
      const environment = this.task.environment as (
        record: Record<string, unknown>,
        source?: ExecutionEnvironment,
      ) => ExecutionEnvironment;
      const own = environment.call(this.task, record, source);
      return source && own.path === undefined ? { ...own, id: source.id, path: source.path! } : own;
    }
    return source ?? { id: sourceId ?? String(record.id ?? this.task.id) };
  }

  /** Executes a program for a dataset line through the task's executor. */
  async execute(program: string, record: Record<string, unknown>): Promise<ExecutionResult> {
    this.ready ??= loadTaskParts(this.task);
    await this.ready;
    this.executor ??= this.task.createExecutor(this.executorOptions as never);
    return this.executor.execute(program, this.environment(record), {
      normalised: this.task.normalise(program),
    });
  }

  /** The task's features of a program, when it has them (SQL: hardness, clauses, tables). */
  async features(program: string): Promise<Record<string, unknown> | undefined> {
    this.ready ??= loadTaskParts(this.task);
    await this.ready;
    return this.task.features?.(program);
  }

  async close(): Promise<void> {
    await this.executor?.close();
    this.executor = undefined;
  }
}

/** Loads what a task needs before its first use (`ready`, when the task has one). */
async function loadTaskParts(task: TaskPlugin<never>): Promise<void> {
  await task.ready?.();
}

/**
 * The source of a line by its `db_id`: `knowledge.db` names the databases of a SQL run (resolved on
 * first use); other tasks carry their environment in each line. (Issue 14 moves this behind the
 * task contract's `sources`.)
 */
function runSources(config: RunConfig): (id: string | undefined) => ExecutionEnvironment | undefined {
  const db = config.knowledge?.db;
  if (typeof db !== 'string') return () => undefined;
  const databases = DatabaseSet.open(db);
  return (id) => {
    try {
      return databases.resolve(id);
    } catch {
      return undefined;
    }
  };
}

import { InputError } from '../errors/index.js';
import type {
  ExecutionEnvironment,
  Executor,
  GenerationSource,
  TaskPlugin,
  TaskRecord,
} from '../tasks/spec.js';
import { type BreakdownEvaluation, type ScoredExample, summariseBreakdown } from './breakdown.js';
import { pairRecords, readTaskRecords } from './task-records.js';

/** Settings of `evaluateTask`. */
export interface TaskEvaluateOptions<Options> {
  readonly task: TaskPlugin<Options>;
  readonly taskOptions?: Options;
  /** Gold file: the benchmark's JSONL (MBPP, GSM8K, NL2Bash, MTOP, Break lines) or one program a line. */
  readonly gold: string;
  /** Predictions: JSONL with `program` (or `programs`/`samples`) and an `id`/`task_id`, or one program a line. */
  readonly predictions: string;
  /** Score only the gold lines that have a prediction (by id), instead of counting the others as wrong. */
  readonly onlyPredicted?: boolean;
  /**
   * `--db`: where the programs run, for a task with `sources` (SQL: a SQLite file, or a folder of
   * databases). Each gold record runs in its `environment` among them: the one source, else the
   * source whose id is the record's own environment's (SQL: its `db_id`).
   */
  readonly db?: string;
}

/** The outcome of one gold example. */
export interface TaskEvaluatedExample {
  readonly line: number;
  readonly id?: string;
  readonly gold: string;
  /** Samples, extracted from the prediction text (null: no program in it). */
  readonly predictions: (string | null)[];
  /** Samples whose result equals the gold result. */
  readonly correct: number;
  readonly samples: number;
  /** Null when the gold gives a result, not a program. */
  readonly exactMatch: boolean | null;
  readonly normalisedMatch: boolean | null;
  readonly valid: boolean;
  readonly goldStatus: string;
  readonly error?: string;
}

export interface TaskEvaluation {
  readonly task: string;
  readonly count: number;
  /** Mean share of each example's samples that are correct: pass@1 (unbiased) with several samples. */
  readonly accuracy: number;
  /** The first sample is the gold program, whitespace aside; null when the gold gives no program (GSM8K, MBPP tests). */
  readonly exactMatch: number | null;
  /** The first sample's normal form equals the gold program's; null as for `exactMatch`. */
  readonly normalisedMatch: number | null;
  /** The first sample executed (or parsed) without error. */
  readonly valid: number;
  readonly goldErrors: number;
  readonly missingPredictions: number;
  readonly examples: TaskEvaluatedExample[];
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Score predictions of any task against gold: a sample is correct when its result key equals the
 * gold's (the gold program's result, or a key the gold line gives directly, such as GSM8K's
 * `#### 18` or MBPP's tests passing), or, for a task with `matches`, when the task says the result
 * matches the gold program's (SQL compares in order only when the gold orders its rows). Whole-run failures throw; a bad prediction is a wrong one.
 */
export async function evaluateTask<Options>(options: TaskEvaluateOptions<Options>): Promise<TaskEvaluation> {
  return summariseTask(options.task, await scoreTask(options));
}

/**
 * Score predictions of a task with a `breakdown` (SQL: execution accuracy by Spider hardness and by
 * database), through the same scoring as `evaluateTask`.
 */
export async function evaluateBreakdown<Options>(
  options: TaskEvaluateOptions<Options>,
): Promise<BreakdownEvaluation> {
  const { breakdown } = options.task;
  if (!breakdown) throw new Error(`task ${options.task.id} has no breakdown`);
  return summariseBreakdown(await scoreTask(options), breakdown);
}

/** An evaluation as `symgen evaluate` reports it: broken down when the task has a `breakdown`. */
export type Evaluation = TaskEvaluation | BreakdownEvaluation;

/** `evaluateBreakdown` for a task with a `breakdown`, else `evaluateTask`: what `symgen evaluate --pred` runs. */
export async function evaluatePredictions<Options>(
  options: TaskEvaluateOptions<Options>,
): Promise<Evaluation> {
  return options.task.breakdown ? evaluateBreakdown(options) : evaluateTask(options);
}

/** The one scoring path of every task: gold placed, executed, and compared with each sample. */
async function scoreTask<Options>(options: TaskEvaluateOptions<Options>): Promise<ScoredExample[]> {
  const { task } = options;
  const pairs = pairRecords(
    readTaskRecords(options.gold, 'gold'),
    readTaskRecords(options.predictions, 'predictions'),
    options.predictions,
  ).filter(([, samples]) => !options.onlyPredicted || samples !== undefined);
  await task.ready?.();
  // a task whose programs run in sources (SQL: the databases of --db, which it then requires)
  const sources = task.sources?.({
    ...(options.db === undefined ? {} : { db: options.db }),
    executor: { ...(options.taskOptions ?? {}) },
  });
  const executor = task.createExecutor(options.taskOptions);
  try {
    return await Promise.all(
      pairs.map(([gold, samples]) =>
        evaluateOne(
          task as TaskPlugin<never>,
          executor,
          gold.record,
          samples,
          gold.line,
          gold.id,
          options.gold,
          sources,
        ),
      ),
    );
  } finally {
    await executor.close();
  }
}

function summariseTask(
  task: TaskPlugin<never> | TaskPlugin<unknown>,
  scored: readonly ScoredExample[],
): TaskEvaluation {
  const examples = scored.map((entry) => entry.example);
  const count = examples.length;
  const mean = (value: (example: TaskEvaluatedExample) => number) =>
    count === 0 ? 0 : examples.reduce((sum, example) => sum + value(example), 0) / count;
  return {
    task: task.id,
    count,
    accuracy: mean((example) => (example.samples === 0 ? 0 : example.correct / example.samples)),
    exactMatch: programMean(examples, (example) => example.exactMatch),
    normalisedMatch: programMean(examples, (example) => example.normalisedMatch),
    valid: mean((example) => Number(example.valid)),
    goldErrors: examples.filter((example) => example.goldStatus !== 'ok').length,
    missingPredictions: examples.filter((example) => example.samples === 0).length,
    examples,
  };
}

/**
 * The source a record's programs run in: the only one, else the one named by the record's own
 * environment. A record naming no known source is a one-line error (`what`: the file's role).
 */
export function sourceOf(
  task: TaskPlugin<never>,
  record: TaskRecord,
  sources: readonly GenerationSource[],
  path: string,
  line: number,
  what = 'gold',
): GenerationSource {
  if (sources.length === 1) return sources[0]!;
  const id = task.environment?.(record).id;
  const found = sources.find((source) => source.id === id);
  if (!found) {
    throw new InputError(
      `${what} file ${path} line ${line}: no environment ${JSON.stringify(id ?? '')} among --db's (${sources
        .slice(0, 10)
        .map((source) => source.id)
        .join(', ')}${sources.length > 10 ? ', ...' : ''})`,
      { file: path, line },
    );
  }
  return found;
}

async function evaluateOne(
  task: TaskPlugin<never>,
  executor: Executor,
  record: TaskRecord,
  samples: string[] | undefined,
  line: number,
  id: string | undefined,
  path: string,
  sources: readonly GenerationSource[] | undefined,
): Promise<ScoredExample> {
  const reference = task.reference
    ? task.reference(record)
    : typeof record.program === 'string'
      ? { program: record.program }
      : null;
  if (!reference) {
    throw new InputError(
      `gold file ${path} line ${line} holds no gold for task ${task.id} (see docs/tasks.md for its fields)`,
      {
        file: path,
        line,
      },
    );
  }
  const own: ExecutionEnvironment = task.environment?.(record) ?? { id: id ?? String(line) };
  const source = sources ? sourceOf(task, record, sources, path, line) : undefined;
  const environment: ExecutionEnvironment = source ? (task.environment?.(record, source) ?? source) : own;
  const goldResult =
    reference.key === undefined ? await executor.execute(reference.program, environment) : undefined;
  const goldKey = reference.key ?? (goldResult?.status === 'ok' ? goldResult.key : undefined);
  const predictions = (samples ?? []).map((text) => task.extract(text));
  const results = await Promise.all(
    predictions.map((program) => (program === null ? undefined : executor.execute(program, environment))),
  );
  const first = predictions[0] ?? null;
  const goldProgram = reference.program;
  const level =
    task.breakdown && goldProgram !== undefined
      ? task.features?.(goldProgram)[task.breakdown.feature]
      : undefined;
  const example: TaskEvaluatedExample = {
    line,
    ...(id === undefined ? {} : { id }),
    gold: goldProgram ?? reference.display!,
    predictions,
    correct:
      goldKey === undefined
        ? 0
        : results.filter((result) =>
            result === undefined
              ? false
              : task.matches && goldResult
                ? task.matches(result, goldResult)
                : result.status === 'ok' && result.key === goldKey,
          ).length,
    samples: predictions.length,
    exactMatch: first !== null && goldProgram !== undefined && collapse(first) === collapse(goldProgram),
    normalisedMatch:
      first !== null && goldProgram !== undefined && task.normalise(first) === task.normalise(goldProgram),
    valid: results[0]?.status === 'ok',
    goldStatus: goldResult?.status ?? 'ok',
    ...(goldResult?.error
      ? { error: `gold: ${goldResult.error}` }
      : results[0]?.error
        ? { error: results[0].error }
        : {}),
  };
  return {
    example,
    // the record's own environment names the group (SQL: its db_id, also when one file serves every record)
    environmentId: own.id || environment.id,
    level: typeof level === 'string' ? level : 'unknown',
    predictionStatus:
      samples === undefined
        ? 'missing'
        : first === null
          ? 'no-program'
          : (results[0]?.status ?? 'no-program'),
  };
}

/** The share of true among the examples whose gold is a program; null when none is. */
function programMean(
  examples: readonly TaskEvaluatedExample[],
  value: (example: TaskEvaluatedExample) => boolean | null,
): number | null {
  const known = examples.map(value).filter((match) => match !== null);
  return known.length === 0 ? null : known.filter(Boolean).length / known.length;
}

/** Render a task evaluation as a short plain-text table; `accuracyName` is the task's (`pass@1` for Python). */
export function formatTaskEvaluation(evaluation: TaskEvaluation, accuracyName = 'accuracy'): string {
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
  const lines = [
    `task ${evaluation.task}: ${evaluation.count} examples`,
    `${accuracyName.padEnd(18)} ${percent(evaluation.accuracy).padStart(7)}`,
    `${'exact match'.padEnd(18)} ${percent(evaluation.exactMatch).padStart(7)}`,
    `${'normalised match'.padEnd(18)} ${percent(evaluation.normalisedMatch).padStart(7)}`,
    `${'valid'.padEnd(18)} ${percent(evaluation.valid).padStart(7)}`,
  ];
  if (evaluation.goldErrors > 0)
    lines.push(`${evaluation.goldErrors} gold programs did not run (counted as wrong)`);
  if (evaluation.missingPredictions > 0)
    lines.push(`${evaluation.missingPredictions} gold examples have no prediction (counted as wrong)`);
  return lines.join('\n');
}

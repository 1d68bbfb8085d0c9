import { InputError } from '../errors/index.js';
import type { ExecutionEnvironment, Executor, TaskPlugin, TaskRecord } from '../tasks/spec.js';
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
  const { task } = options;
  const pairs = pairRecords(
    readTaskRecords(options.gold, 'gold'),
    readTaskRecords(options.predictions, 'predictions'),
    options.predictions,
  ).filter(([, samples]) => !options.onlyPredicted || samples !== undefined);
  const executor = task.createExecutor(options.taskOptions);
  try {
    const examples = await Promise.all(
      pairs.map(([gold, samples]) =>
        evaluateOne(task, executor, gold.record, samples, gold.line, gold.id, options.gold),
      ),
    );
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
  } finally {
    await executor.close();
  }
}

async function evaluateOne(
  task: TaskPlugin<never>,
  executor: Executor,
  record: TaskRecord,
  samples: string[] | undefined,
  line: number,
  id: string | undefined,
  path: string,
): Promise<TaskEvaluatedExample> {
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
  const environment: ExecutionEnvironment = task.environment?.(record) ?? { id: id ?? String(line) };
  const goldResult =
    reference.key === undefined ? await executor.execute(reference.program, environment) : undefined;
  const goldKey = reference.key ?? (goldResult?.status === 'ok' ? goldResult.key : undefined);
  const predictions = (samples ?? []).map((text) => task.extract(text));
  const results = await Promise.all(
    predictions.map((program) => (program === null ? undefined : executor.execute(program, environment))),
  );
  const first = predictions[0] ?? null;
  const goldProgram = reference.program;
  return {
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
}

/** The share of true among the examples whose gold is a program; null when none is. */
function programMean(
  examples: readonly TaskEvaluatedExample[],
  value: (example: TaskEvaluatedExample) => boolean | null,
): number | null {
  const known = examples.map(value).filter((match) => match !== null);
  return known.length === 0 ? null : known.filter(Boolean).length / known.length;
}

/** Render a task evaluation as a short plain-text table. */
export function formatTaskEvaluation(evaluation: TaskEvaluation): string {
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
  const accuracyName = evaluation.task === 'python' ? 'pass@1' : 'accuracy';
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

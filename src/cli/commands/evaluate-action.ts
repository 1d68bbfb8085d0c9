import { ConfigError } from '../../errors/index.js';
import {
  type Evaluation,
  evaluateDataset,
  evaluatePredictions,
  formatDatasetEvaluation,
  formatEvaluationTable,
  formatTaskEvaluation,
  withModelPredictions,
} from '../../evaluate/index.js';
import { checkOutputFile, writeLinesAtomically } from '../../io/index.js';
import { trainAndScore } from '../../model/index.js';
import { DEFAULT_TASK } from '../../tasks/registry/load-builtin-task.js';
import type { TaskPlugin } from '../../tasks/spec.js';
import { integerFlag, requireContent } from './flags.js';
import { modelFromFlags } from './model-flags.js';
import { taskFromFlags, taskOptionsFromFlags } from './task-flags.js';

type Flags = Record<string, string | boolean | undefined>;

/**
 * Run `symgen evaluate` with parsed flags; returns the exit code. One path for every task: the
 * predictions (from --pred, or made by the built-in model with --train, or by a model asked
 * zero-shot in the task's gen_a prompt with --model) are scored through the task contract
 * (`evaluatePredictions`: sources of --db, environment, reference, extract, matches, breakdown).
 */
export async function runEvaluate(given: Flags): Promise<number> {
  // --task defaults to the registry's default task, unless a module names the task
  const flags =
    given.task === undefined && given.taskModule === undefined ? { ...given, task: DEFAULT_TASK } : given;
  if (typeof flags.json === 'string') checkOutputFile(flags.json, '--json');
  if (typeof flags.predOut === 'string') checkOutputFile(flags.predOut, '--pred-out');
  requireContent(flags.gold, '--gold', 'score');
  requireContent(flags.dataset, '--dataset', 'measure');
  const task = await taskFromFlags(flags);
  if (typeof flags.dataset === 'string') return runDatasetEvaluation(flags, task);
  const gold = required(flags, 'gold', 'the gold file to score against');
  const score = (predictions: string) =>
    evaluatePredictions({
      task,
      taskOptions: taskOptionsFromFlags(flags) as never,
      gold,
      predictions,
      ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
      onlyPredicted: flags.onlyPredicted === true,
    });
  if (typeof flags.pred === 'string') return report(flags, task, await score(flags.pred));
  if (typeof flags.train === 'string') {
    const result = await trainAndScore({
      task,
      taskOptions: taskOptionsFromFlags(flags) as Record<string, unknown>,
      train: flags.train,
      gold,
      ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
      ...(typeof flags.predOut === 'string' ? { predictions: flags.predOut } : {}),
      model: {
        epochs: integerFlag('--epochs', flags.epochs),
        maxSeconds: integerFlag('--max-train-seconds', flags.maxTrainSeconds),
        seed: integerFlag('--seed', flags.seed),
        onEpoch: (epoch, loss, seconds) =>
          process.stderr.write(`epoch ${epoch}: loss ${loss.toFixed(3)} (${seconds.toFixed(0)} s)\n`),
      },
    });
    const { training } = result;
    process.stderr.write(
      `trained the built-in model (seed ${integerFlag('--seed', flags.seed)}) on ${training.examples} examples: ${training.epochs} epochs, ${training.steps} steps in ${training.seconds.toFixed(1)} s (${training.parameters} parameters, ${training.backend}); predicted in ${result.predictSeconds.toFixed(1)} s\n`,
    );
    return report(flags, task, result.evaluation, { training });
  }
  const llm = modelFromFlags(flags, '', (message) => process.stderr.write(`${message}\n`));
  if (!llm) {
    throw new ConfigError('evaluate', [
      {
        path: '',
        message:
          'pass --pred FILE, --train FILE (built-in model) or --model NAME with --gold; or --dataset FILE to measure a dataset',
      },
    ]);
  }
  return withModelPredictions(
    {
      task,
      taskOptions: taskOptionsFromFlags(flags) as Record<string, unknown>,
      gold,
      ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
      model: llm.model,
      ...(typeof flags.predOut === 'string' ? { out: flags.predOut } : {}),
    },
    async (predictions, failed) => {
      const evaluation = await score(predictions);
      const usage = llm.usage.totals();
      process.stderr.write(
        `${llm.model.modelId}: ${usage.requests} requests, ${usage.usage.promptTokens} prompt + ${usage.usage.completionTokens} completion tokens${failed ? `, ${failed} failed calls` : ''}\n`,
      );
      return report(flags, task, evaluation, { model: llm.model.modelId, failedCalls: failed });
    },
  );
}

/** `--dataset`: direct metrics of a dataset of any task, through the task contract. */
async function runDatasetEvaluation(flags: Flags, task: TaskPlugin<never>): Promise<number> {
  const judge = modelFromFlags(flags, 'judge', (message) => process.stderr.write(`${message}\n`));
  const evaluation = await evaluateDataset({
    task,
    taskOptions: taskOptionsFromFlags(flags),
    dataset: String(flags.dataset),
    ...(typeof flags.rejected === 'string' ? { rejected: flags.rejected } : {}),
    ...(typeof flags.reference === 'string' ? { reference: flags.reference } : {}),
    ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
    ...(typeof flags.gold === 'string' ? { gold: flags.gold } : {}),
    ...(judge ? { judge: judge.model, judgeSample: integerFlag('--judge-sample', flags.judgeSample) } : {}),
    embeddings: flags.embeddings !== false,
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
  });
  if (typeof flags.json === 'string') {
    await writeLinesAtomically(
      flags.json,
      (async function* () {
        yield JSON.stringify(evaluation, null, 2);
      })(),
    );
  }
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(evaluation, null, 2)}\n`
      : `${formatDatasetEvaluation(evaluation)}\n`,
  );
  return 0;
}

/** Print an evaluation (and write it whole with --json): a table by level and environment when it is broken down. */
async function report(
  flags: Flags,
  task: TaskPlugin<never>,
  evaluation: Evaluation,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const { examples, ...metrics } = evaluation;
  if (typeof flags.json === 'string') {
    await writeLinesAtomically(
      flags.json,
      (async function* () {
        yield JSON.stringify({ ...metrics, ...extra, examples }, null, 2);
      })(),
    );
  }
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify({ ...metrics, ...extra }, null, 2)}\n`
      : `${'overall' in evaluation ? formatEvaluationTable(evaluation) : formatTaskEvaluation(evaluation, task.accuracyName)}\n`,
  );
  return 0;
}

function required(flags: Flags, name: string, what: string): string {
  const value = flags[name];
  if (typeof value === 'string') return value;
  throw new ConfigError(`--${name}`, [{ path: '', message: `missing: pass --${name} (${what})` }]);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../errors/index.js';
import {
  evaluateDataset,
  evaluateSql,
  evaluateTask,
  formatDatasetEvaluation,
  formatEvaluationTable,
  formatTaskEvaluation,
  predictWithModel,
  readPrograms,
  type SqlEvaluation,
} from '../../evaluate/index.js';
import { checkOutputFile, writeLinesAtomically } from '../../io/index.js';
import { trainAndScore } from '../../model/index.js';
import { DatabaseSet, openReadOnly, readSqliteSchema } from '../../tasks/sql/index.js';
import { integerFlag, requireContent } from './flags.js';
import { modelFromFlags } from './model-flags.js';
import { taskFromFlags, taskOptionsFromFlags } from './task-flags.js';

type Flags = Record<string, string | boolean | undefined>;

/** Run `symgen evaluate` with parsed flags; returns the exit code. */
export async function runEvaluate(given: Flags): Promise<number> {
  // --task defaults to sql here (dataset and model modes are SQL's), unless a module names the task.
  const flags =
    given.task === undefined && given.taskModule === undefined ? { ...given, task: 'sql' } : given;
  if (typeof flags.json === 'string') checkOutputFile(flags.json, '--json');
  if (typeof flags.predOut === 'string') checkOutputFile(flags.predOut, '--pred-out');
  requireContent(flags.gold, '--gold', 'score');
  requireContent(flags.dataset, '--dataset', 'measure');
  const task = await taskFromFlags(flags);
  if (task.id !== 'sql' || flags.taskModule !== undefined) return runTaskEvaluation(flags, task);
  if (typeof flags.dataset === 'string') return runDatasetEvaluation(flags);
  const db = required(flags, 'db', 'a SQLite file or folder the programs run on');
  const gold = required(flags, 'gold', 'the gold file to score against');
  if (typeof flags.pred === 'string') {
    return report(
      flags,
      await evaluateSql({
        db,
        gold,
        predictions: flags.pred,
        timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
      }),
    );
  }
  if (typeof flags.train === 'string') {
    const result = await trainAndScore({
      train: flags.train,
      gold,
      db,
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
    return report(flags, result.evaluation, { training });
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
  const goldLines = readPrograms(gold, 'gold');
  const databases = DatabaseSet.open(db);
  const schemaText = (dbId: string | undefined) => {
    const handle = openReadOnly(databases.resolve(dbId).path);
    try {
      return readSqliteSchema(handle)
        .tables.map((table) => table.createSql)
        .join('\n');
    } finally {
      handle.close();
    }
  };
  const { programs, failed } = await predictWithModel(goldLines, llm.model, schemaText);
  const folder = typeof flags.predOut === 'string' ? undefined : mkdtempSync(join(tmpdir(), 'symgen-pred-'));
  const predictions = typeof flags.predOut === 'string' ? flags.predOut : join(folder!, 'predictions.jsonl');
  try {
    await writeLinesAtomically(
      predictions,
      (async function* () {
        for (const [index, entry] of goldLines.entries()) {
          yield JSON.stringify({
            ...(entry.id === undefined ? {} : { id: entry.id }),
            ...(entry.dbId ? { db_id: entry.dbId } : {}),
            program: programs[index],
          });
        }
      })(),
    );
    const evaluation = await evaluateSql({
      db,
      gold,
      predictions,
      timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
    });
    const usage = llm.usage.totals();
    process.stderr.write(
      `${llm.model.modelId}: ${usage.requests} requests, ${usage.usage.promptTokens} prompt + ${usage.usage.completionTokens} completion tokens${failed ? `, ${failed} failed calls` : ''}\n`,
    );
    return report(flags, evaluation, { model: llm.model.modelId, failedCalls: failed });
  } finally {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

/** Tasks other than SQL (and user-defined ones): predictions scored against gold by the task's own check. */
async function runTaskEvaluation(
  flags: Flags,
  task: Awaited<ReturnType<typeof taskFromFlags>>,
): Promise<number> {
  const evaluation = await evaluateTask({
    task,
    taskOptions: taskOptionsFromFlags(flags) as never,
    gold: required(flags, 'gold', 'the gold file to score against'),
    predictions: required(flags, 'pred', 'the predictions to score'),
    onlyPredicted: flags.onlyPredicted === true,
  });
  const { examples, ...metrics } = evaluation;
  if (typeof flags.json === 'string') {
    await writeLinesAtomically(
      flags.json,
      (async function* () {
        yield JSON.stringify({ ...metrics, examples }, null, 2);
      })(),
    );
  }
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(metrics, null, 2)}\n`
      : `${formatTaskEvaluation(evaluation)}\n`,
  );
  return 0;
}

async function runDatasetEvaluation(flags: Flags): Promise<number> {
  const judge = modelFromFlags(flags, 'judge', (message) => process.stderr.write(`${message}\n`));
  const evaluation = await evaluateDataset({
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

async function report(
  flags: Flags,
  evaluation: SqlEvaluation,
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
      : `${formatEvaluationTable(evaluation)}\n`,
  );
  return 0;
}

function required(flags: Flags, name: string, what: string): string {
  const value = flags[name];
  if (typeof value === 'string') return value;
  throw new ConfigError(`--${name}`, [{ path: '', message: `missing: pass --${name} (${what})` }]);
}

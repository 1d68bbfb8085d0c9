import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '../dataset/index.js';
import { InputError } from '../errors/index.js';
import { readPrograms } from '../evaluate/predictions.js';
import { evaluateSql, type SqlEvaluation } from '../evaluate/sql-accuracy.js';
import { writeLinesAtomically } from '../io/index.js';
import { TaskModel, type TaskModelOptions, type TrainStats } from './task-model.js';

/** Options of {@link trainAndScore}. */
export interface TrainAndScoreOptions {
  /** Training dataset: any JSONL of question + program (`weight` scales each example's loss). */
  readonly train: string;
  /** Gold file to score on (JSONL with question + query/program). */
  readonly gold: string;
  /** Database(s) the gold and predictions run on. */
  readonly db: string;
  /** Where to write the predictions (JSONL: id, question, program). @default a temporary file */
  readonly predictions?: string;
  readonly model?: TaskModelOptions;
}

/** The outcome of the indirect evaluation. */
export interface TrainAndScoreResult {
  readonly training: TrainStats;
  readonly evaluation: SqlEvaluation;
  readonly predictSeconds: number;
}

/**
 * Indirect evaluation with the built-in task model: train it from scratch on a dataset, predict a
 * program for every gold question, and score the predictions by execution accuracy.
 */
export async function trainAndScore(options: TrainAndScoreOptions): Promise<TrainAndScoreResult> {
  const dataset = await readDataset(options.train);
  if (dataset.examples.length === 0) {
    throw new InputError(
      `training file ${options.train} has no examples (expected JSONL lines with question and program)`,
      {
        file: options.train,
      },
    );
  }
  const gold = readPrograms(options.gold, 'gold');
  const missing = gold.find((entry) => entry.question === undefined);
  if (missing) {
    throw new InputError(
      `gold file ${options.gold} line ${missing.line} has no question: the model needs one to answer`,
      {
        file: options.gold,
        line: missing.line,
      },
    );
  }
  const model = await TaskModel.train(
    dataset.examples.map((example) => ({
      question: example.question,
      program: example.program,
      ...(example.weight === undefined ? {} : { weight: example.weight }),
    })),
    options.model,
  );
  const folder = options.predictions ? undefined : mkdtempSync(join(tmpdir(), 'symgen-model-'));
  const predictionsPath = options.predictions ?? join(folder!, 'predictions.jsonl');
  try {
    const started = performance.now();
    const programs = await model.predict(gold.map((entry) => entry.question!));
    const predictSeconds = (performance.now() - started) / 1000;
    await writeLinesAtomically(
      predictionsPath,
      (async function* () {
        for (const [index, entry] of gold.entries()) {
          yield JSON.stringify({
            ...(entry.id === undefined ? {} : { id: entry.id }),
            question: entry.question,
            ...(entry.dbId === undefined ? {} : { db_id: entry.dbId }),
            program: programs[index],
          });
        }
      })(),
    );
    const evaluation = await evaluateSql({
      db: options.db,
      gold: options.gold,
      predictions: predictionsPath,
    });
    return { training: model.stats, evaluation, predictSeconds };
  } finally {
    model.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

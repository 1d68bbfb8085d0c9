import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '../dataset/index.js';
import { InputError } from '../errors/index.js';
import { type Evaluation, evaluatePredictions } from '../evaluate/task-accuracy.js';
import { goldQuestions, readTaskRecords } from '../evaluate/task-records.js';
import { writeLinesAtomically } from '../io/index.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { TaskModel, type TaskModelOptions, type TrainStats } from './task-model.js';

/** Options of {@link trainAndScore}. */
export interface TrainAndScoreOptions {
  /** The task of the programs: its model tokens, its gold fields and its scoring. */
  readonly task: TaskPlugin<never>;
  readonly taskOptions?: Readonly<Record<string, unknown>>;
  /** Training dataset: any JSONL of question + program (`weight` scales each example's loss). */
  readonly train: string;
  /** Gold file to score on: the task's benchmark lines (SQL: question + query). */
  readonly gold: string;
  /** `--db`: where the gold and predictions run, for a task with sources (SQL: its databases). */
  readonly db?: string;
  /** Where to write the predictions (JSONL: id, question, program). @default a temporary file */
  readonly predictions?: string;
  readonly model?: TaskModelOptions;
}

/** The outcome of the indirect evaluation. */
export interface TrainAndScoreResult {
  readonly training: TrainStats;
  /** Scored through the task, as `symgen evaluate --pred` scores (SQL: by hardness and database). */
  readonly evaluation: Evaluation;
  readonly predictSeconds: number;
}

/**
 * Indirect evaluation with the built-in task model, for any task: train it from scratch on a
 * dataset (programs as the task's `modelTokens`), predict a program for every gold question, and
 * score the predictions through the task contract, as `--pred` would.
 */
export async function trainAndScore(options: TrainAndScoreOptions): Promise<TrainAndScoreResult> {
  const { task } = options;
  // a dataset line of any task (question + program), or the task's own benchmark lines (MTOP's logical_form)
  const fields = task.generation?.fields;
  const dataset = await readDataset(options.train, fields ? { fields } : {});
  if (dataset.examples.length === 0) {
    throw new InputError(
      `training file ${options.train} has no examples (expected JSONL lines with question and program)`,
      { file: options.train },
    );
  }
  const gold = readTaskRecords(options.gold, 'gold');
  const questions = goldQuestions(task, gold, options.gold);
  const model = await TaskModel.train(
    dataset.examples.map((example) => ({
      question: example.question,
      program: example.program,
      ...(example.weight === undefined ? {} : { weight: example.weight }),
    })),
    { ...options.model, ...(task.modelTokens ? { tokens: task.modelTokens } : {}) },
  );
  const folder = options.predictions ? undefined : mkdtempSync(join(tmpdir(), 'symgen-model-'));
  const predictionsPath = options.predictions ?? join(folder!, 'predictions.jsonl');
  try {
    const started = performance.now();
    const programs = await model.predict(questions);
    const predictSeconds = (performance.now() - started) / 1000;
    await writeLinesAtomically(
      predictionsPath,
      (async function* () {
        for (const [index, entry] of gold.entries()) {
          yield JSON.stringify({
            ...(entry.id === undefined ? {} : { id: entry.id }),
            question: questions[index],
            program: programs[index],
          });
        }
      })(),
    );
    const evaluation = await evaluatePredictions({
      task,
      ...(options.taskOptions ? { taskOptions: options.taskOptions as never } : {}),
      gold: options.gold,
      predictions: predictionsPath,
      ...(options.db === undefined ? {} : { db: options.db }),
    });
    return { training: model.stats, evaluation, predictSeconds };
  } finally {
    model.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

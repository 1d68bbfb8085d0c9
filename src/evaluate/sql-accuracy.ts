import { SqliteExecutor } from '../tasks/sql/execute/index.js';
import type { SqlExecutionResult } from '../tasks/sql/execute/sqlite-executor.js';
import {
  DatabaseSet,
  extractSql,
  HARDNESS_LEVELS,
  loadSqlParser,
  normaliseSql,
  sqlFeatures,
} from '../tasks/sql/index.js';
import { sqlTask } from '../tasks/sql/task.js';
import { pairPrograms, readPrograms } from './predictions.js';

/** Accuracy over a group of examples. */
export interface AccuracyCell {
  count: number;
  /** Execution accuracy: the prediction's result equals the gold result. */
  execution: number;
  /** Normalised programs equal (a lower bound on correctness). */
  exactMatch: number;
  /** The prediction executed without error. */
  valid: number;
}

/** Per-example outcome of an evaluation. */
export interface EvaluatedExample {
  readonly line: number;
  readonly id?: string;
  readonly dbId: string;
  readonly hardness: string;
  readonly gold: string;
  readonly prediction: string | null;
  readonly correct: boolean;
  readonly goldStatus: string;
  readonly predictionStatus: string;
  readonly error?: string;
}

export interface SqlEvaluation {
  readonly overall: AccuracyCell;
  readonly byHardness: Record<string, AccuracyCell>;
  readonly byDatabase: Record<string, AccuracyCell>;
  /** Gold programs that did not execute (counted as wrong: fix the gold). */
  readonly goldErrors: number;
  readonly missingPredictions: number;
  readonly examples: EvaluatedExample[];
}

export interface SqlEvaluateOptions {
  readonly db: string;
  readonly gold: string;
  readonly predictions: string;
  readonly timeoutMs?: number;
  readonly workers?: number;
}

/**
 * Execution accuracy of predicted SQL against gold SQL, with Spider's hardness breakdown and a
 * breakdown by database. Results are compared as the verifier does (multiset, columns in any
 * order), and in order when the gold query orders its output.
 */
export async function evaluateSql(options: SqlEvaluateOptions): Promise<SqlEvaluation> {
  const databases = DatabaseSet.open(options.db);
  const pairs = pairPrograms(
    readPrograms(options.gold, 'gold'),
    readPrograms(options.predictions, 'predictions'),
  );
  await loadSqlParser();
  const executor = new SqliteExecutor({
    timeoutMs: options.timeoutMs ?? 5000,
    ...(options.workers ? { workers: options.workers } : {}),
  });
  try {
    const examples = await Promise.all(
      pairs.map(async ([gold, prediction]) => {
        const environment = databases.resolve(gold.dbId ?? prediction?.dbId);
        const predicted = prediction ? extractSql(prediction.program) : null;
        const [goldResult, predictedResult] = await Promise.all([
          executor.execute(gold.program, environment),
          predicted === null ? Promise.resolve(undefined) : executor.execute(predicted, environment),
        ]);
        const correct = predictedResult !== undefined && sameResult(goldResult, predictedResult);
        return {
          line: gold.line,
          ...(gold.id === undefined ? {} : { id: gold.id }),
          dbId: environment.id,
          hardness: sqlFeatures(gold.program).hardness,
          gold: gold.program,
          prediction: predicted,
          correct,
          goldStatus: goldResult.status,
          predictionStatus: prediction ? (predictedResult?.status ?? 'no-program') : 'missing',
          ...(goldResult.error
            ? { error: `gold: ${goldResult.error}` }
            : predictedResult?.error
              ? { error: predictedResult.error }
              : {}),
        } satisfies EvaluatedExample;
      }),
    );
    return summarise(examples);
  } finally {
    await executor.close();
  }
}

/** Whether a prediction's result equals the gold result (in order when gold orders more than one row). */
export function sameResult(gold: SqlExecutionResult, predicted: SqlExecutionResult): boolean {
  return sqlTask.matches!(predicted, gold);
}

function summarise(examples: EvaluatedExample[]): SqlEvaluation {
  const empty = (): AccuracyCell => ({ count: 0, execution: 0, exactMatch: 0, valid: 0 });
  const overall = empty();
  const byHardness: Record<string, AccuracyCell> = Object.fromEntries(
    HARDNESS_LEVELS.map((level) => [level, empty()]),
  );
  const byDatabase: Record<string, AccuracyCell> = {};
  for (const example of examples) {
    const exact =
      example.prediction !== null && normaliseSql(example.prediction) === normaliseSql(example.gold);
    byHardness[example.hardness] ??= empty();
    byDatabase[example.dbId] ??= empty();
    for (const cell of [overall, byHardness[example.hardness]!, byDatabase[example.dbId]!]) {
      cell.count++;
      if (example.correct) cell.execution++;
      if (exact) cell.exactMatch++;
      if (example.predictionStatus === 'ok') cell.valid++;
    }
  }
  const ratio = (cell: AccuracyCell) => {
    if (cell.count === 0) return cell;
    return {
      count: cell.count,
      execution: cell.execution / cell.count,
      exactMatch: cell.exactMatch / cell.count,
      valid: cell.valid / cell.count,
    };
  };
  return {
    overall: ratio(overall),
    byHardness: Object.fromEntries(Object.entries(byHardness).map(([key, cell]) => [key, ratio(cell)])),
    byDatabase: Object.fromEntries(
      Object.entries(byDatabase)
        .sort()
        .map(([key, cell]) => [key, ratio(cell)]),
    ),
    goldErrors: examples.filter((example) => example.goldStatus !== 'ok').length,
    missingPredictions: examples.filter((example) => example.predictionStatus === 'missing').length,
    examples,
  };
}

/** Render an evaluation as a plain-text table for the terminal. */
export function formatEvaluationTable(evaluation: SqlEvaluation): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
  const row = (name: string, cell: AccuracyCell) =>
    `${name.padEnd(24)} ${String(cell.count).padStart(6)} ${percent(cell.execution)} ${percent(cell.exactMatch)} ${percent(cell.valid)}`;
  const lines = [
    `${'group'.padEnd(24)} ${'count'.padStart(6)} ${'exec'.padStart(7)} ${'exact'.padStart(7)} ${'valid'.padStart(7)}`,
  ];
  for (const [level, cell] of Object.entries(evaluation.byHardness))
    if (cell.count > 0) lines.push(row(level, cell));
  lines.push(row('all', evaluation.overall), '');
  for (const [db, cell] of Object.entries(evaluation.byDatabase)) lines.push(row(db, cell));
  if (evaluation.goldErrors > 0)
    lines.push('', `${evaluation.goldErrors} gold programs did not execute (counted as wrong)`);
  if (evaluation.missingPredictions > 0)
    lines.push(`${evaluation.missingPredictions} gold examples have no prediction (counted as wrong)`);
  return lines.join('\n');
}

import type { SqlExecutionResult } from '../tasks/sql/execute/sqlite-executor.js';
import { sqlTask } from '../tasks/sql/task.js';
import type { BreakdownEvaluation } from './breakdown.js';
import { evaluateBreakdown } from './task-accuracy.js';

export type { AccuracyCell, EvaluatedExample } from './breakdown.js';
export { formatEvaluationTable } from './breakdown.js';

/** SQL's broken-down evaluation (by Spider hardness and by database). */
export type SqlEvaluation = BreakdownEvaluation;

export interface SqlEvaluateOptions {
  readonly db: string;
  readonly gold: string;
  readonly predictions: string;
  readonly timeoutMs?: number;
  readonly workers?: number;
}

/**
 * Execution accuracy of predicted SQL against gold SQL, with Spider's hardness breakdown and a
 * breakdown by database: `evaluateBreakdown` of the SQL task (its `matches` compares results as the
 * verifier does, multiset with columns in any order, and in order when the gold orders its rows).
 */
export async function evaluateSql(options: SqlEvaluateOptions): Promise<SqlEvaluation> {
  return evaluateBreakdown({
    task: sqlTask,
    db: options.db,
    gold: options.gold,
    predictions: options.predictions,
    taskOptions: {
      timeoutMs: options.timeoutMs ?? 5000,
      ...(options.workers ? { workers: options.workers } : {}),
    },
  });
}

/** Whether a prediction's result equals the gold result (in order when gold orders more than one row). */
export function sameResult(gold: SqlExecutionResult, predicted: SqlExecutionResult): boolean {
  return sqlTask.matches!(predicted, gold);
}

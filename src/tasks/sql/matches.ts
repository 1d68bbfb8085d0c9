import type { ExecutionResult } from '../spec.js';
import type { SqlExecutionResult } from './execute/sqlite-executor.js';

/**
 * SQL's execution-accuracy rule, the task's `matches`: a predicted result counts as the gold's when
 * their rows are equal in order if the gold query orders more than one row, else as multisets
 * (columns in any order, as the verifier compares). Results that are not `ok` never match.
 */
export function sqlResultsMatch(predicted: ExecutionResult, gold: ExecutionResult): boolean {
  if (gold.status !== 'ok' || predicted.status !== 'ok') return false;
  const goldSql = gold as SqlExecutionResult;
  const predictedSql = predicted as SqlExecutionResult;
  const ordered = goldSql.ordered === true && (goldSql.size ?? 0) > 1;
  return ordered ? goldSql.listKey === predictedSql.listKey : goldSql.bagKey === predictedSql.bagKey;
}

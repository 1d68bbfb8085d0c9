export { type ProgramLine, pairPrograms, readPrograms } from './predictions.js';
export {
  type AccuracyCell,
  type EvaluatedExample,
  evaluateSql,
  formatEvaluationTable,
  type SqlEvaluateOptions,
  type SqlEvaluation,
} from './sql-accuracy.js';

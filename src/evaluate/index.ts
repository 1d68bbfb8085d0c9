export { type ProgramLine, pairPrograms, readPrograms } from './predictions.js';
export {
  type AccuracyCell,
  type EvaluatedExample,
  evaluateSql,
  formatEvaluationTable,
  type SqlEvaluateOptions,
  type SqlEvaluation,
} from './sql-accuracy.js';
export {
  evaluateTask,
  formatTaskEvaluation,
  type TaskEvaluatedExample,
  type TaskEvaluateOptions,
  type TaskEvaluation,
} from './task-accuracy.js';
export { pairRecords, predictedPrograms, type RecordLine, readTaskRecords } from './task-records.js';

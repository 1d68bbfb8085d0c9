// dataset metrics, judge, built-in model scoring (issue 7)

export {
  type AccuracyCell,
  type BreakdownEvaluation,
  type EvaluatedExample,
  formatEvaluationTable,
} from './breakdown.js';
export {
  type DatasetEvaluateOptions,
  type DatasetEvaluation,
  type DatasetMetrics,
  evaluateDataset,
} from './dataset-evaluation.js';
export { loadEmbeddingModel, meanPairwiseCosine } from './embedding-similarity.js';
export { type Faithfulness, faithfulnessFromLines } from './faithfulness.js';
export { formatDatasetEvaluation } from './format-dataset-evaluation.js';
export { type JudgeSummary, judgeExamples, judgePrompt, parseJudgeAnswer } from './judge.js';
export { type ModelPredictionOptions, withModelPredictions } from './model-predictions.js';
export { type ProgramLine, pairPrograms, readPrograms } from './predictions.js';
export { type ProgramDiversity, programDiversity } from './program-diversity.js';
export { sampleOf, seededRandom } from './sample.js';
export {
  evaluateSql,
  type SqlEvaluateOptions,
  type SqlEvaluation,
  sameResult,
} from './sql-accuracy.js';
export {
  type Evaluation,
  evaluateBreakdown,
  evaluatePredictions,
  evaluateTask,
  formatTaskEvaluation,
  type TaskEvaluatedExample,
  type TaskEvaluateOptions,
  type TaskEvaluation,
} from './task-accuracy.js';
export {
  goldQuestions,
  pairRecords,
  predictedPrograms,
  questionOf,
  type RecordLine,
  readTaskRecords,
} from './task-records.js';
export { selfBleu, type TextDiversity, textDiversity } from './text-diversity.js';

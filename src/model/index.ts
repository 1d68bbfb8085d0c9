export { questionModelTokens, wordTokens } from './program-tokens.js';
export {
  TaskModel,
  type TaskModelOptions,
  type TrainingPair,
  type TrainStats,
} from './task-model.js';
export { loadTfjs } from './tfjs-wasm.js';
export { type TrainAndScoreOptions, type TrainAndScoreResult, trainAndScore } from './train-and-score.js';
export { PointerTransformer, type TransformerShape } from './transformer.js';
export { Vocabulary } from './vocabulary.js';

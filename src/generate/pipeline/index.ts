export { engineInfo, SYMGEN_VERSION } from './engine-info.js';
export { type GenerateOptions, type GenerateSummary, runGenerate } from './generate.js';
export { mapConcurrent } from './map-concurrent.js';
export type { GenerateProgress } from './progress.js';
export {
  type QuestionDrop,
  QuestionFilter,
  questionKey,
  wordCount,
} from './question-text.js';
export { computeQuotas } from './quotas.js';

export { type Bm25Index, buildBm25Index, tokenizeWords } from './bm25.js';
export { buildEmbeddingIndex, type EmbeddingIndex, loadSentenceEmbedder } from './embedding-index.js';
export { type Demonstration, type DemonstrationPool, loadDemonstrations } from './load-demonstrations.js';
export {
  createDemonstrationSelector,
  type DemonstrationSelection,
  type DemonstrationSelector,
  type DemonstrationSelectorOptions,
  uniqueDemonstrations,
} from './select-demonstrations.js';

export * from './export/index.js';
export {
  type ReviewChange,
  ReviewConflict,
  type ReviewCounts,
  type ReviewDecision,
  RunReviews,
  reviewCounts,
  type StoredReview,
  writeReviewedOutputs,
} from './run-reviews.js';
export { computeRunStats, type RunStats } from './run-stats.js';
export {
  type ExampleState,
  type NewQuestion,
  RunStore,
  type StoredExample,
  type StoredPrompt,
  type UsageEntry,
} from './run-store.js';
export { RUN_FILES, writeJsonAtomically, writeRunOutputs } from './write-outputs.js';

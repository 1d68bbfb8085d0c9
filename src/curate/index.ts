export {
  type CurateContext,
  type CuratedExample,
  type CurateResult,
  type CurateSummary,
  curateExamples,
  type DroppedExample,
} from './curate-examples.js';
export {
  type CurateFileOptions,
  curateFile,
  keptRecord,
  readCurateOptionsFile,
  sideFile,
} from './curate-file.js';
export {
  type CurateFilterOptions,
  type CurateOptions,
  curateOptionsSchema,
} from './curate-options.js';
export {
  type BenchmarkItem,
  ContaminationIndex,
  type ContaminationMatch,
  type DecontaminationOptions,
  readBenchmarks,
} from './decontaminate.js';
export { cheapFilterVerdict, type FilterVerdict, languageVerdict, resultSizeVerdict } from './filters.js';
export {
  findNearDuplicates,
  findNearDuplicatesNaive,
  type MinHashOptions,
  NearDuplicateIndex,
  type NearDuplicateMatch,
} from './minhash-lsh.js';
export {
  parseRelabelAnswer,
  type RelabelContext,
  type RelabelVerdict,
  relabelExample,
  relabelPrompt,
} from './relabel.js';
export { computeWeights, type WeightOptions } from './reweight.js';
export { hashString, jaccard, mix32, wordShingles } from './shingles.js';

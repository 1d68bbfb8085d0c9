export { type ChatLine, toChatLine } from './chat-export.js';
export { type DatasetRow, readDatasetRows } from './dataset-rows.js';
export { type PairResult, type PreferencePair, preferencePairs } from './dpo-export.js';
export { type ExportFormat, type ExportOptions, exportRun } from './export-run.js';
export { type CardFacts, datasetCard, sizeCategory, writeHfDataset } from './hf-export.js';
export { PARQUET_COLUMNS, type ParquetOptions, writeParquet } from './parquet-export.js';

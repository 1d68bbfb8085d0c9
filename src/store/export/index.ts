export { type ChatLine, toChatLine } from './chat-export.js';
export { type DatasetRow, readDatasetRows } from './dataset-rows.js';
export { type ExportFormat, type ExportOptions, exportRun } from './export-run.js';
export { PARQUET_COLUMNS, writeParquet } from './parquet-export.js';

import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import type { DatasetRow } from './dataset-rows.js';

/** Columns of the Parquet export, one row per dataset line. */
export const PARQUET_COLUMNS = [
  'id',
  'db_id',
  'question',
  'program',
  'confidence',
  'votes',
  'total',
  'hardness',
  'weight',
  'provenance',
  'record',
  'task',
  'review',
] as const;

/** Options of {@link writeParquet}. */
export interface ParquetOptions {
  /** The run's task id, in the `task` column. */
  readonly task?: string;
  /**
   * Parquet type of the `provenance` and `record` columns: `JSON` (a string with the JSON logical
   * type) or plain `STRING` (what Hugging Face `datasets` reads as a string everywhere). @default 'JSON'
   */
  readonly json?: 'JSON' | 'STRING';
}

/**
 * Writes dataset rows as a Parquet file (pure JavaScript, snappy-compressed): flat columns for the
 * fields people filter on, `provenance` and the whole `record` as JSON, the task, and `review` (the
 * reviewer's decision, `accepted` or `rejected`, null when no one reviewed the line). Written beside
 * the target and renamed, so a failed export leaves no partial file.
 */
export function writeParquet(rows: readonly DatasetRow[], path: string, options: ParquetOptions = {}): void {
  const json = options.json ?? 'JSON';
  const review = (row: DatasetRow): string | null => {
    const value = row.record.review as { status?: unknown } | undefined;
    return typeof value?.status === 'string' ? value.status : null;
  };
  const number = (row: DatasetRow, field: string): number | null => {
    const value = row.record[field];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  const hardness = (row: DatasetRow): string | null => {
    const features = row.record.features as { hardness?: unknown } | undefined;
    return typeof features?.hardness === 'string' ? features.hardness : null;
  };
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    parquetWriteFile({
      filename: temporary,
      columnData: [
        { name: 'id', data: rows.map((row) => row.id), type: 'STRING' },
        { name: 'db_id', data: rows.map((row) => row.dbId), type: 'STRING' },
        { name: 'question', data: rows.map((row) => row.question), type: 'STRING' },
        { name: 'program', data: rows.map((row) => row.program), type: 'STRING' },
        { name: 'confidence', data: rows.map((row) => number(row, 'confidence')), type: 'DOUBLE' },
        { name: 'votes', data: rows.map((row) => number(row, 'votes')), type: 'INT32' },
        { name: 'total', data: rows.map((row) => number(row, 'total')), type: 'INT32' },
        { name: 'hardness', data: rows.map(hardness), type: 'STRING' },
        { name: 'weight', data: rows.map((row) => number(row, 'weight') ?? 1), type: 'DOUBLE' },
        {
          name: 'provenance',
          data: rows.map((row) => JSON.stringify(row.record.provenance ?? null)),
          type: json,
        },
        { name: 'record', data: rows.map((row) => JSON.stringify(row.record)), type: json },
        { name: 'task', data: rows.map(() => options.task ?? null), type: 'STRING' },
        { name: 'review', data: rows.map(review), type: 'STRING' },
      ],
      kvMetadata: [{ key: 'symgen.format', value: 'dataset/1' }],
      createdBy: 'symgen',
    });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

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
] as const;

/**
 * Writes dataset rows as a Parquet file (pure JavaScript, snappy-compressed): flat columns for the
 * fields people filter on, `provenance` and the whole `record` as JSON. Written beside the target
 * and renamed, so a failed export leaves no partial file.
 */
export function writeParquet(rows: readonly DatasetRow[], path: string): void {
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
          type: 'JSON',
        },
        { name: 'record', data: rows.map((row) => JSON.stringify(row.record)), type: 'JSON' },
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

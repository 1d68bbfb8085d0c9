import { InputError } from '../../errors/index.js';
import { readJsonl } from '../../io/index.js';

/** The fields every export reads from a dataset line. */
export interface DatasetRow {
  readonly id: string;
  readonly dbId: string;
  readonly question: string;
  readonly program: string;
  readonly record: Record<string, unknown>;
}

/**
 * Reads dataset lines (from `dataset.jsonl` or any curated file of the same shape). A line without
 * `question` or `program` is skipped and counted, not fatal.
 */
export async function readDatasetRows(file: string): Promise<{ rows: DatasetRow[]; skipped: number }> {
  const rows: DatasetRow[] = [];
  let skipped = 0;
  try {
    for await (const line of readJsonl(file)) {
      const value = line.value as Record<string, unknown> | undefined;
      if (
        line.error !== undefined ||
        typeof value?.question !== 'string' ||
        typeof value.program !== 'string' ||
        !value.program.trim()
      ) {
        skipped++;
        continue;
      }
      rows.push({
        id: String(value.id ?? `line-${line.line}`),
        dbId: typeof value.db_id === 'string' ? value.db_id : '',
        question: value.question,
        program: value.program,
        record: value,
      });
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`, { file, cause: error });
  }
  return { rows, skipped };
}

import { existsSync } from 'node:fs';
import { readJsonl } from '../io/index.js';
import {
  type DatasetExample,
  type DatasetLineError,
  isLineError,
  toDatasetExample,
} from './dataset-example.js';

/** A dataset file read whole: its examples and the lines that were not examples. */
export interface Dataset {
  readonly path: string;
  readonly examples: DatasetExample[];
  /** Lines that were not JSON or lacked a question/program: data, not a crash. */
  readonly errors: DatasetLineError[];
}

/**
 * Read a JSONL dataset (see {@link DatasetExample} for the fields understood). Lines with
 * `status: "rejected"` are skipped unless `includeRejected` is set: a verifier's output holds both.
 * Throws `InputError` only when the file is missing.
 */
export async function readDataset(
  path: string,
  options: {
    includeRejected?: boolean;
    allowMissingProgram?: boolean;
    /** The task's own question and program field names, tried after the usual ones. */
    fields?: { readonly question: string; readonly program: string };
  } = {},
): Promise<Dataset> {
  const examples: DatasetExample[] = [];
  const errors: DatasetLineError[] = [];
  for await (const entry of readJsonl(path)) {
    if (entry.error !== undefined) {
      errors.push({ line: entry.line, error: entry.error });
      continue;
    }
    const example = toDatasetExample(entry.value, entry.line, {
      allowMissingProgram: options.allowMissingProgram ?? options.includeRejected,
      ...(options.fields ? { fields: options.fields } : {}),
    });
    if (isLineError(example)) errors.push(example);
    else if (options.includeRejected || example.status !== 'rejected') examples.push(example);
  }
  return { path, examples, errors };
}

/** Read a dataset when the file exists, else `undefined` (for optional run-directory files). */
export async function readDatasetIfExists(
  path: string,
  options: Parameters<typeof readDataset>[1] = {},
): Promise<Dataset | undefined> {
  return existsSync(path) ? readDataset(path, options) : undefined;
}

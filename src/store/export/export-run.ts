import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InputError } from '../../errors/index.js';
import { writeLinesAtomically } from '../../io/index.js';
import { SqlKnowledge } from '../../prompt/sql-knowledge.js';
import { DatabaseSet } from '../../tasks/sql/databases.js';
import { RunStore } from '../run-store.js';
import { RUN_FILES } from '../write-outputs.js';
import { toChatLine } from './chat-export.js';
import { type DatasetRow, readDatasetRows } from './dataset-rows.js';
import { writeParquet } from './parquet-export.js';

/** Export formats. */
export type ExportFormat = 'parquet' | 'chat' | 'jsonl';

/** Options of {@link exportRun}. */
export interface ExportOptions {
  /** A run directory, or a dataset JSONL file. */
  readonly source: string;
  readonly format: ExportFormat;
  readonly out: string;
  /** Databases for the chat format's schema; defaults to the run's `knowledge.db`. */
  readonly db?: string;
  /** Example rows per table in the chat format's user message. @default 0 */
  readonly rows?: number;
}

/**
 * Exports a run's accepted examples (or any dataset JSONL) as Parquet, chat-format JSONL or plain
 * JSONL. Returns the number of rows written and lines skipped.
 */
export async function exportRun(options: ExportOptions): Promise<{ written: number; skipped: number }> {
  const { file, db } = locate(options);
  const { rows, skipped } = await readDatasetRows(file);
  if (options.format === 'parquet') {
    writeParquet(rows, options.out);
    return { written: rows.length, skipped };
  }
  if (options.format === 'jsonl') {
    const written = await writeLinesAtomically(
      options.out,
      lines(rows, (row) => JSON.stringify(row.record)),
    );
    return { written, skipped };
  }
  if (!db) {
    throw new ConfigError('--db', [
      { path: '', message: 'the chat format needs the databases for the schema: pass --db PATH' },
    ]);
  }
  const databases = DatabaseSet.open(db);
  const knowledge = new Map<string, SqlKnowledge>();
  const texts = new Map<string, string>();
  const schemaOf = (dbId: string) => {
    let text = texts.get(dbId);
    if (text === undefined) {
      const environment = databases.resolve(dbId || undefined);
      const opened = SqlKnowledge.open(environment.path, {
        rows: options.rows ?? 0,
        rowSelection: 'first',
        matchedValues: 0,
      });
      knowledge.set(dbId, opened);
      text = opened.view({ seed: 0 }).text;
      texts.set(dbId, text);
    }
    return text;
  };
  try {
    const written = await writeLinesAtomically(
      options.out,
      lines(rows, (row) => JSON.stringify(toChatLine(row, schemaOf))),
    );
    return { written, skipped };
  } finally {
    for (const opened of knowledge.values()) opened.close();
  }
}

function locate(options: ExportOptions): { file: string; db: string | undefined } {
  if (!existsSync(options.source)) {
    throw new InputError(`${options.source} not found (pass a run directory or a dataset .jsonl file)`, {
      file: options.source,
    });
  }
  if (!statSync(options.source).isDirectory()) return { file: options.source, db: options.db };
  const file = join(options.source, RUN_FILES.dataset);
  if (!existsSync(file)) {
    throw new InputError(
      `${options.source} has no ${RUN_FILES.dataset} (is it a symgen generate run directory?)`,
      {
        file,
      },
    );
  }
  let db = options.db;
  if (!db && RunStore.exists(options.source)) {
    const store = RunStore.open(options.source, { create: false });
    try {
      const config = JSON.parse(store.getMeta('config') ?? '{}') as { knowledge?: { db?: string } };
      db = config.knowledge?.db;
    } finally {
      store.close();
    }
  }
  return { file, db };
}

async function* lines(
  rows: readonly DatasetRow[],
  format: (row: DatasetRow) => string,
): AsyncGenerator<string> {
  for (const row of rows) yield format(row);
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InputError } from '../../errors/index.js';
import { writeLinesAtomically } from '../../io/index.js';
import { SqlKnowledge } from '../../prompt/sql-knowledge.js';
import { DatabaseSet } from '../../tasks/sql/databases.js';
import { RunStore } from '../run-store.js';
import { RUN_FILES } from '../write-outputs.js';
import { toChatLine } from './chat-export.js';
import { type DatasetRow, readDatasetRows } from './dataset-rows.js';
import { preferencePairs } from './dpo-export.js';
import { type CardFacts, writeHfDataset } from './hf-export.js';
import { writeParquet } from './parquet-export.js';

/** Export formats. */
export type ExportFormat = 'parquet' | 'chat' | 'jsonl' | 'dpo' | 'hf';

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
  /** `dpo`: most preference pairs per accepted example. @default 1 */
  readonly pairs?: number;
  /** `hf`: the licence in the dataset card's metadata. @default 'other' */
  readonly license?: string;
  /** `hf`: most rows per Parquet shard. @default 100000 */
  readonly shardRows?: number;
}

/**
 * Exports a run's accepted examples (or any dataset JSONL) as Parquet, chat-format JSONL, plain
 * JSONL, preference pairs (`dpo`) or a Hugging Face dataset folder (`hf`). Returns the number of
 * rows written and lines skipped (for `dpo`: also the accepted examples with no losing program).
 */
export async function exportRun(
  options: ExportOptions,
): Promise<{ written: number; skipped: number; withoutLoser?: number }> {
  const { file, db, run } = locate(options);
  const { rows, skipped } = await readDatasetRows(file);
  if (options.format === 'parquet') {
    writeParquet(rows, options.out, run.task ? { task: run.task } : {});
    return { written: rows.length, skipped };
  }
  if (options.format === 'dpo') {
    let withoutLoser = 0;
    const pairs = rows
      .filter((row) => row.record.status === undefined || row.record.status === 'accepted')
      .flatMap((row) => {
        const found = preferencePairs(row, options.pairs ?? 1);
        if (found.length === 0) withoutLoser++;
        return found;
      });
    const written = await writeLinesAtomically(
      options.out,
      lines(pairs, (pair) => JSON.stringify(pair)),
    );
    return { written, skipped, withoutLoser };
  }
  if (options.format === 'hf') {
    const facts: CardFacts = {
      title: `symgen ${run.task ?? 'dataset'}: ${options.source.replace(/\/+$/, '').split('/').pop()}`,
      task: run.task ?? 'unknown',
      license: options.license ?? 'other',
      ...run.facts,
    };
    writeHfDataset(rows, options.out, facts, options.shardRows ? { shardRows: options.shardRows } : {});
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

/** What the run directory says about the run: its task and the dataset card's facts. */
interface RunFacts {
  readonly task?: string;
  readonly facts: Partial<CardFacts>;
}

function locate(options: ExportOptions): { file: string; db: string | undefined; run: RunFacts } {
  if (!existsSync(options.source)) {
    throw new InputError(`${options.source} not found (pass a run directory or a dataset .jsonl file)`, {
      file: options.source,
    });
  }
  if (!statSync(options.source).isDirectory())
    return { file: options.source, db: options.db, run: { facts: {} } };
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
  let config: Record<string, unknown> = {};
  if (RunStore.exists(options.source)) {
    const store = RunStore.open(options.source, { create: false });
    try {
      config = JSON.parse(store.getMeta('config') ?? '{}') as Record<string, unknown>;
    } finally {
      store.close();
    }
  }
  db ??= (config.knowledge as { db?: string } | undefined)?.db;
  const stats = readStats(join(options.source, RUN_FILES.stats));
  const statsRun = stats.run as { task?: string; model?: CardFacts['model']; mode?: string } | undefined;
  const generation = config.generation as { genQ?: unknown; genA?: unknown } | undefined;
  const task = typeof config.task === 'string' ? config.task : statsRun?.task;
  const facts: Partial<CardFacts> = {
    ...(statsRun?.model !== undefined ? { model: statsRun.model } : {}),
    ...(statsRun?.mode ? { mode: statsRun.mode } : {}),
    ...(generation ? { sampling: { gen_q: generation.genQ, gen_a: generation.genA } } : {}),
    ...(config.verify ? { verifier: config.verify } : {}),
    ...(config.seed !== undefined ? { seed: config.seed } : {}),
    ...(stats.examples ? { examples: stats.examples as CardFacts['examples'] } : {}),
    ...((stats.stages as { gen_a?: { rejectedBy?: Record<string, number> } } | undefined)?.gen_a?.rejectedBy
      ? { rejectedBy: (stats.stages as { gen_a: { rejectedBy: Record<string, number> } }).gen_a.rejectedBy }
      : {}),
    ...(stats.review ? { review: stats.review as CardFacts['review'] } : {}),
  };
  return { file, db, run: { ...(task ? { task } : {}), facts } };
}

function readStats(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`, { file: path });
  }
}

async function* lines<Row = DatasetRow>(
  rows: readonly Row[],
  format: (row: Row) => string,
): AsyncGenerator<string> {
  for (const row of rows) yield format(row);
}

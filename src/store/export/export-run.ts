import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors/index.js';
import { writeLinesAtomically } from '../../io/index.js';
import { createKnowledgeCache, PLAIN_KNOWLEDGE } from '../../prompt/knowledge-cache.js';
import { resolveTask } from '../../tasks/registry/index.js';
import type { GenerationSource, TaskPlugin } from '../../tasks/spec.js';
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
  /** The task of the examples; defaults to the run's task (`sql` for a bare dataset file). */
  readonly task?: TaskPlugin<never>;
  /** sql: databases for the chat format's schema; defaults to the run's `knowledge.db`. */
  readonly db?: string;
  /** sql: example rows per table in the chat format's user message. @default 0 */
  readonly rows?: number;
  /** `dpo`: most preference pairs per accepted example. @default 1 */
  readonly pairs?: number;
  /** `hf`: the licence in the dataset card's metadata. @default 'other' */
  readonly license?: string;
  /** `hf`: most rows per Parquet shard. @default 100000 */
  readonly shardRows?: number;
}

/**
 * Exports a run's accepted examples (or any dataset JSONL), for any task, as Parquet, chat-format
 * JSONL (the user message holds the task's knowledge of the example, sql: the CREATE TABLE
 * statements of its database, and its question), plain JSONL, preference pairs (`dpo`) or a Hugging
 * Face dataset folder (`hf`). Returns the number of rows written and lines skipped (for `dpo`: also
 * the accepted examples with no losing program).
 */
export async function exportRun(
  options: ExportOptions,
): Promise<{ written: number; skipped: number; withoutLoser?: number }> {
  const located = locate(options);
  const run = { task: options.task?.id ?? located.task.task ?? located.statsTask, facts: located.facts };
  const { rows, skipped } = await readDatasetRows(located.file);
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
  const task = options.task ?? (await resolveTask(located.task));
  await task.ready?.();
  const sources = new Map<string, GenerationSource>(
    (
      task.sources?.({
        ...(located.db ? { db: located.db } : {}),
        executor: located.taskOptions,
      }) ?? [{ id: task.id }]
    ).map((source) => [source.id, source]),
  );
  const single = sources.size === 1 ? sources.values().next().value : undefined;
  const knowledge = createKnowledgeCache(task, {
    options: { ...PLAIN_KNOWLEDGE, rows: options.rows ?? 0 },
    executor: located.taskOptions,
  });
  const knowledgeOf = (row: DatasetRow) =>
    knowledge.of(sources.get(row.dbId) ?? single ?? { id: row.dbId }).view({ seed: 0, record: row.record })
      .text;
  const system =
    task.generation?.prompts.genA.system ??
    `Answer with the program only${task.description ? ` (${task.description})` : ''}.`;
  try {
    const written = await writeLinesAtomically(
      options.out,
      lines(rows, (row) => JSON.stringify(toChatLine(row, system, knowledgeOf(row)))),
    );
    return { written, skipped };
  } finally {
    knowledge.close();
  }
}

/** Where a run's dataset is, what it was generated with, and the dataset card's facts. */
interface Located {
  readonly file: string;
  readonly db: string | undefined;
  readonly task: { task?: string; taskModule?: string };
  readonly taskOptions: Record<string, unknown>;
  /** The task stats.json names (a run without a stored config). */
  readonly statsTask?: string;
  readonly facts: Partial<CardFacts>;
}

function locate(options: ExportOptions): Located {
  if (!existsSync(options.source)) {
    throw new InputError(`${options.source} not found (pass a run directory or a dataset .jsonl file)`, {
      file: options.source,
    });
  }
  if (!statSync(options.source).isDirectory())
    return { file: options.source, db: options.db, task: {}, taskOptions: {}, facts: {} };
  const file = join(options.source, RUN_FILES.dataset);
  if (!existsSync(file)) {
    throw new InputError(
      `${options.source} has no ${RUN_FILES.dataset} (is it a symgen generate run directory?)`,
      {
        file,
      },
    );
  }
  let config: {
    task?: string;
    taskModule?: string;
    taskOptions?: Record<string, unknown>;
    knowledge?: { db?: string };
    generation?: { genQ?: unknown; genA?: unknown };
    verify?: unknown;
    seed?: unknown;
  } = {};
  if (RunStore.exists(options.source)) {
    const store = RunStore.open(options.source, { create: false });
    try {
      config = JSON.parse(store.getMeta('config') ?? '{}') as typeof config;
    } finally {
      store.close();
    }
  }
  const stats = readStats(join(options.source, RUN_FILES.stats));
  const statsRun = stats.run as { task?: string; model?: CardFacts['model']; mode?: string } | undefined;
  const generation = config.generation;
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
  return {
    file,
    db: options.db ?? config.knowledge?.db,
    task: {
      ...(config.task ? { task: config.task } : {}),
      ...(config.taskModule ? { taskModule: config.taskModule } : {}),
    },
    taskOptions: config.taskOptions ?? {},
    ...(statsRun?.task ? { statsTask: statsRun.task } : {}),
    facts,
  };
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

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors/index.js';
import { writeLinesAtomically } from '../../io/index.js';
import { resolveTask } from '../../tasks/registry/index.js';
import type { GenerationSource, TaskKnowledge, TaskPlugin } from '../../tasks/spec.js';
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
  /** The task of the examples; defaults to the run's task (`sql` for a bare dataset file). */
  readonly task?: TaskPlugin<never>;
  /** sql: databases for the chat format's schema; defaults to the run's `knowledge.db`. */
  readonly db?: string;
  /** sql: example rows per table in the chat format's user message. @default 0 */
  readonly rows?: number;
}

/**
 * Exports a run's accepted examples (or any dataset JSONL) as Parquet, chat-format JSONL or plain
 * JSONL, for any task: the chat format's user message holds the task's knowledge of the example
 * (sql: the CREATE TABLE statements of its database) and its question. Returns the number of rows
 * written and lines skipped.
 */
export async function exportRun(options: ExportOptions): Promise<{ written: number; skipped: number }> {
  const located = locate(options);
  const { rows, skipped } = await readDatasetRows(located.file);
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
  const knowledge = new Map<string, TaskKnowledge>();
  const knowledgeOf = (row: DatasetRow) => {
    const source = sources.get(row.dbId) ?? single ?? { id: row.dbId };
    let opened = knowledge.get(source.id);
    if (!opened) {
      opened = task.knowledge?.({
        source,
        demonstrations: [],
        options: { rows: options.rows ?? 0, rowSelection: 'first', matchedValues: 0 },
        executor: located.taskOptions,
      }) ?? { view: () => ({ text: '' }) };
      knowledge.set(source.id, opened);
    }
    return opened.view({ seed: 0, record: row.record }).text;
  };
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
    for (const opened of knowledge.values()) opened.close?.();
  }
}

interface Located {
  readonly file: string;
  readonly db: string | undefined;
  readonly task: { task?: string; taskModule?: string };
  readonly taskOptions: Record<string, unknown>;
}

function locate(options: ExportOptions): Located {
  if (!existsSync(options.source)) {
    throw new InputError(`${options.source} not found (pass a run directory or a dataset .jsonl file)`, {
      file: options.source,
    });
  }
  if (!statSync(options.source).isDirectory())
    return { file: options.source, db: options.db, task: {}, taskOptions: {} };
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
  } = {};
  if (RunStore.exists(options.source)) {
    const store = RunStore.open(options.source, { create: false });
    try {
      config = JSON.parse(store.getMeta('config') ?? '{}') as typeof config;
    } finally {
      store.close();
    }
  }
  return {
    file,
    db: options.db ?? config.knowledge?.db,
    task: {
      ...(config.task ? { task: config.task } : {}),
      ...(config.taskModule ? { taskModule: config.taskModule } : {}),
    },
    taskOptions: config.taskOptions ?? {},
  };
}

async function* lines(
  rows: readonly DatasetRow[],
  format: (row: DatasetRow) => string,
): AsyncGenerator<string> {
  for (const row of rows) yield format(row);
}

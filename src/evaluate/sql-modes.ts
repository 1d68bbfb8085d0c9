import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/index.js';
import { writeLinesAtomically } from '../io/index.js';
import type { LlmProvider } from '../llm/spec.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { DatabaseSet, openReadOnly, readSqliteSchema } from '../tasks/sql/index.js';
import { sqlTask } from '../tasks/sql/task.js';
import { predictWithModel } from './llm-predictions.js';
import { readPrograms } from './predictions.js';

/**
 * `symgen evaluate --train` and `--model` are written for the SQL task (its built-in model, its
 * zero-shot prompt over the database schema); other tasks are refused in one line, pointing at
 * `--pred`, which every task takes (`--dataset` too, through the task contract).
 */
export function refuseUnlessSql(task: Pick<TaskPlugin<never>, 'id'>, flag: string, what: string): void {
  if (task.id === sqlTask.id) return;
  throw new ConfigError(flag, [
    {
      path: '',
      message: `${what} is written for the sql task; for ${task.id}, score predictions with --pred FILE (and --gold)`,
    },
  ]);
}

/**
 * Ask `model` for the SQL of every gold question (the zero-shot prompt with the database's schema)
 * and write the predictions to `out` (JSONL: `id`, `db_id`, `program`), or to a temporary file
 * that `use` reads and that is removed after it.
 */
export async function withModelPredictions<T>(
  options: { readonly gold: string; readonly db: string; readonly model: LlmProvider; readonly out?: string },
  use: (predictions: string, failed: number) => Promise<T>,
): Promise<T> {
  const goldLines = readPrograms(options.gold, 'gold');
  const databases = DatabaseSet.open(options.db);
  const schemaText = (dbId: string | undefined) => {
    const handle = openReadOnly(databases.resolve(dbId).path);
    try {
      return readSqliteSchema(handle)
        .tables.map((table) => table.createSql)
        .join('\n');
    } finally {
      handle.close();
    }
  };
  const { programs, failed } = await predictWithModel(goldLines, options.model, schemaText);
  const folder = options.out === undefined ? mkdtempSync(join(tmpdir(), 'symgen-pred-')) : undefined;
  const predictions = options.out ?? join(folder!, 'predictions.jsonl');
  try {
    await writeLinesAtomically(
      predictions,
      (async function* () {
        for (const [index, entry] of goldLines.entries()) {
          yield JSON.stringify({
            ...(entry.id === undefined ? {} : { id: entry.id }),
            ...(entry.dbId ? { db_id: entry.dbId } : {}),
            program: programs[index],
          });
        }
      })(),
    );
    return await use(predictions, failed);
  } finally {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

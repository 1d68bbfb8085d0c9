import { ConfigError } from '../../errors/index.js';
import type { TaskPlugin } from '../spec.js';

/**
 * Each built-in task's module, loaded on demand: a command that runs one task loads only that one
 * (the six together take about half a second to load; `symgen verify --task sql` starts in less).
 */
const LOADERS: Readonly<Record<string, () => Promise<TaskPlugin<never>>>> = {
  sql: async () => (await import('../sql/task.js')).sqlTask as TaskPlugin<never>,
  python: async () => (await import('../python/index.js')).pythonTask as TaskPlugin<never>,
  math: async () => (await import('../math/index.js')).mathTask as TaskPlugin<never>,
  bash: async () => (await import('../bash/index.js')).bashTask as TaskPlugin<never>,
  top: async () => (await import('../top/index.js')).topTask as TaskPlugin<never>,
  qdmr: async () => (await import('../qdmr/index.js')).qdmrTask as TaskPlugin<never>,
};

/** The task a command runs when it names none (`--task`, a config's `task`). */
export const DEFAULT_TASK = 'sql';

/** The ids of the built-in tasks, in the registry's order. */
export const BUILTIN_TASK_IDS: readonly string[] = Object.keys(LOADERS);

/**
 * The built-in task with this id, loading only its module; throws the registry's `ConfigError`
 * naming the known tasks when there is none.
 */
export async function loadBuiltinTask(id: string): Promise<TaskPlugin<never>> {
  const load = LOADERS[id];
  if (load) return load();
  throw unknownTask(id, BUILTIN_TASK_IDS);
}

/** The error for an unknown task id, naming the known ones (shared with the registry). */
export function unknownTask(id: string, known: readonly string[]): ConfigError {
  return new ConfigError('--task', [
    {
      path: '',
      message: `unknown task ${JSON.stringify(id)}; known tasks: ${known.join(', ')} (or load one with --task-module)`,
    },
  ]);
}

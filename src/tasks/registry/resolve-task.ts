import type { TaskPlugin } from '../spec.js';
import { DEFAULT_TASK } from './load-builtin-task.js';
import { loadTaskModule } from './load-task-module.js';
import { createTaskRegistry } from './task-registry.js';

/** The task of a setting that names none: sql, symgen's first task (configs and datasets before `--task`). */
export { DEFAULT_TASK };

/** The built-in task a setting that names none means. */
export function defaultTask(): TaskPlugin<never> {
  return createTaskRegistry().get(DEFAULT_TASK);
}

/**
 * The task a setting names: the module of `taskModule` when given, else the built-in task `task`
 * (default `sql`). Throws a `ConfigError` naming the known tasks for an unknown id.
 */
export async function resolveTask(reference: {
  readonly task?: string | undefined;
  readonly taskModule?: string | undefined;
}): Promise<TaskPlugin<never>> {
  if (reference.taskModule) return await loadTaskModule(reference.taskModule);
  return createTaskRegistry().get(reference.task ?? DEFAULT_TASK);
}

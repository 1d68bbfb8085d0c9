import { ConfigError } from '../../errors/index.js';
import { createTaskRegistry, loadTaskModule } from '../../tasks/registry/index.js';
import type { TaskPlugin } from '../../tasks/spec.js';
import { integerFlag } from './flags.js';

/**
 * The task named by `--task`, or loaded from `--task-module` (whose id `--task` must then match,
 * when given). Throws a `ConfigError` naming the known tasks for an unknown id.
 */
export async function taskFromFlags(flags: Record<string, unknown>): Promise<TaskPlugin<never>> {
  const registry = createTaskRegistry();
  if (typeof flags.taskModule === 'string') {
    const task = await loadTaskModule(flags.taskModule);
    if (typeof flags.task === 'string' && flags.task !== task.id) {
      throw new ConfigError('--task', [
        {
          path: '',
          message: `the module ${flags.taskModule} defines task ${JSON.stringify(task.id)}, not ${JSON.stringify(flags.task)}`,
        },
      ]);
    }
    registry.register(task);
    return task;
  }
  if (typeof flags.task !== 'string') {
    throw new ConfigError('--task', [
      { path: '', message: `required: one of ${registry.ids().join(', ')}, or --task-module FILE` },
    ]);
  }
  return registry.get(flags.task);
}

/** Executor options of non-SQL tasks from the shared flags; each task reads the ones it knows. */
export function taskOptionsFromFlags(flags: Record<string, unknown>): Record<string, unknown> {
  return {
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
    ...(flags.workers === undefined ? {} : { workers: integerFlag('--workers', flags.workers) }),
    ...(flags.execute === true ? { execute: true } : {}),
    ...(typeof flags.fixture === 'string' ? { fixture: flags.fixture } : {}),
  };
}

import { ConfigError } from '../../errors/index.js';
import { BUILTIN_TASK_IDS, loadBuiltinTask } from '../../tasks/registry/load-builtin-task.js';
import type { TaskPlugin } from '../../tasks/spec.js';
import { integerFlag } from './flags.js';

/**
 * The task named by `--task`, or loaded from `--task-module` (whose id `--task` must then match,
 * when given, and must not be a built-in task's). Throws a `ConfigError` naming the known tasks for
 * an unknown id. Loads only the module of the task asked for.
 */
export async function taskFromFlags(flags: Record<string, unknown>): Promise<TaskPlugin<never>> {
  if (typeof flags.taskModule === 'string') {
    const { loadTaskModule } = await import('../../tasks/registry/load-task-module.js');
    const task = await loadTaskModule(flags.taskModule);
    if (typeof flags.task === 'string' && flags.task !== task.id) {
      throw new ConfigError('--task', [
        {
          path: '',
          message: `the module ${flags.taskModule} defines task ${JSON.stringify(task.id)}, not ${JSON.stringify(flags.task)}`,
        },
      ]);
    }
    if (BUILTIN_TASK_IDS.includes(task.id)) {
      throw new ConfigError('task registry', [
        {
          path: task.id,
          message: `a task with id ${JSON.stringify(task.id)} is already registered; pick another id`,
        },
      ]);
    }
    return task;
  }
  if (typeof flags.task !== 'string') {
    throw new ConfigError('--task', [
      { path: '', message: `required: one of ${BUILTIN_TASK_IDS.join(', ')}, or --task-module FILE` },
    ]);
  }
  return loadBuiltinTask(flags.task);
}

/**
 * The task's options from the shared flags, handed to every task alike; each task reads the ones it
 * knows (sql: `db`; bash: `execute`, `fixture`; python, math, bash: `workers`; all: `timeoutMs`).
 */
export function taskOptionsFromFlags(flags: Record<string, unknown>): Record<string, unknown> {
  return {
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
    ...(flags.workers === undefined ? {} : { workers: integerFlag('--workers', flags.workers) }),
    ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
    ...(flags.execute === true ? { execute: true } : {}),
    ...(typeof flags.fixture === 'string' ? { fixture: flags.fixture } : {}),
  };
}

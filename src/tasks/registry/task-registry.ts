import { ConfigError } from '../../errors/index.js';
import type { TaskPlugin } from '../spec.js';
import { builtinTasks } from './builtin-tasks.js';
import { unknownTask } from './load-builtin-task.js';

/** Tasks by id: an explicit value passed to whoever needs it, never a global. */
export interface TaskRegistry {
  /** The task with this id; throws `ConfigError` naming the known ids when there is none. */
  get(id: string): TaskPlugin<never>;
  has(id: string): boolean;
  /** Add a task; throws `ConfigError` when its id is taken. */
  register(task: TaskPlugin<never>): void;
  ids(): string[];
}

/**
 * A registry holding the given tasks (default: the built-in ones).
 * @example
 * const registry = createTaskRegistry();
 * registry.register(myTask); // throws if `myTask.id` is already registered
 */
export function createTaskRegistry(tasks: readonly TaskPlugin<never>[] = builtinTasks()): TaskRegistry {
  const byId = new Map<string, TaskPlugin<never>>();
  const registry: TaskRegistry = {
    get(id) {
      const task = byId.get(id);
      if (task) return task;
      throw unknownTask(id, registry.ids());
    },
    has: (id) => byId.has(id),
    register(task) {
      if (byId.has(task.id)) {
        throw new ConfigError('task registry', [
          {
            path: task.id,
            message: `a task with id ${JSON.stringify(task.id)} is already registered; pick another id`,
          },
        ]);
      }
      byId.set(task.id, task);
    },
    ids: () => [...byId.keys()],
  };
  for (const task of tasks) registry.register(task);
  return registry;
}

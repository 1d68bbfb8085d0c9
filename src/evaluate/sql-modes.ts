import { ConfigError } from '../errors/index.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { sqlTask } from '../tasks/sql/task.js';

/**
 * `symgen evaluate --dataset` is written for the SQL task (its dataset measures); other tasks are
 * refused in one line, pointing at `--pred`, which every task takes.
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

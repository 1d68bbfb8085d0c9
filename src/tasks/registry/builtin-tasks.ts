import { bashTask } from '../bash/index.js';
import { mathTask } from '../math/index.js';
import { pythonTask } from '../python/index.js';
import { qdmrTask } from '../qdmr/index.js';
import type { TaskPlugin } from '../spec.js';
import { sqlTask } from '../sql/task.js';
import { topTask } from '../top/index.js';

/** The tasks symgen ships: sql, python, math, bash, top, qdmr. */
export function builtinTasks(): TaskPlugin<never>[] {
  return [sqlTask, pythonTask, mathTask, bashTask, topTask, qdmrTask] as TaskPlugin<never>[];
}

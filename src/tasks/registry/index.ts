export { builtinTasks } from './builtin-tasks.js';
export { BUILTIN_TASK_IDS, loadBuiltinTask } from './load-builtin-task.js';
export { loadTaskModule, taskPluginSchema } from './load-task-module.js';
export { DEFAULT_TASK, defaultTask, resolveTask } from './resolve-task.js';
export { createTaskRegistry, type TaskRegistry } from './task-registry.js';

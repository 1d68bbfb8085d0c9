export { builtinTasks } from './builtin-tasks.js';
export { loadTaskModule, taskPluginSchema } from './load-task-module.js';
export { resolveTask } from './resolve-task.js';
export { createTaskRegistry, type TaskRegistry } from './task-registry.js';

export { refusalReason } from './guard.js';
export { GUARD_EXTENSION_PATH, guardAvailable } from './guard-extension.js';
export { ordersOutput } from './order-by.js';
export { resolveSqliteLimits } from './protocol.js';
export { type CompareMode, cellKey, FLOAT_DIGITS, type ResultKeys, resultKeys } from './result-key.js';
export {
  type SqlExecutionResult,
  SqliteExecutor,
  type SqliteExecutorOptions,
  type SqliteExecutorStats,
} from './sqlite-executor.js';
export { SqliteRunner } from './sqlite-runner.js';

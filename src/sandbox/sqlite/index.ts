export { refusalReason } from './guard.js';
export { GUARD_EXTENSION_PATH, guardAvailable } from './guarded-connection.js';
export { ordersOutput } from './order-by.js';
export { type CompareMode, cellKey, FLOAT_DIGITS, type ResultKeys, resultKeys } from './result-key.js';
export {
  resolveSqliteLimits,
  type SqlExecutionResult,
  SqliteExecutor,
  type SqliteExecutorOptions,
  type SqliteExecutorStats,
} from './sqlite-executor.js';
export { SqliteRunner } from './sqlite-runner.js';

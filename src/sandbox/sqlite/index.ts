export { refusalReason } from './guard.js';
export { ordersOutput } from './order-by.js';
export { type CompareMode, cellKey, FLOAT_DIGITS, type ResultKeys, resultKeys } from './result-key.js';
export {
  type SqlExecutionResult,
  SqliteExecutor,
  type SqliteExecutorOptions,
  type SqliteExecutorStats,
} from './sqlite-executor.js';

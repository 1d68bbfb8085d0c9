// errors
// llm
export {
  ApiCallError,
  CircuitOpenError,
  ConfigError,
  type ConfigIssue,
  DatabaseError,
  InputError,
  ModelLoadError,
  RequestTimeoutError,
  RetryError,
  type RetryErrorReason,
  SandboxError,
  SymgenError,
} from './errors/index.js';
export * from './llm/index.js';

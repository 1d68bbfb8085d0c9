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
// sandbox (process)
export {
  type BashCandidate,
  type BashResult,
  defaultSandboxLimits,
  type FileEntry,
  type FixtureFile,
  type FixtureLimits,
  fileStateKey,
  openProcessSandbox,
  type ProcessSandbox,
  type ProcessSandboxOptions,
  type PythonCandidate,
  prepareSandboxHost,
  readFixtureDirectory,
  resolveSandboxLimits,
  runBash,
  runPython,
  type SandboxHost,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResult,
  type SandboxStatus,
} from './sandbox/index.js';

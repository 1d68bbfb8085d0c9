// errors
export {
  ConfigError,
  type ConfigIssue,
  DatabaseError,
  InputError,
  SandboxError,
  SymgenError,
} from './errors/index.js';

export { ConfigError, type ConfigIssue } from './config-error.js';
export { DatabaseError } from './database-error.js';
export { InputError } from './input-error.js';
export { SandboxError } from './sandbox-error.js';
export { SymgenError } from './symgen-error.js';

export {
  type BubblewrapOptions,
  buildBubblewrapArgs,
  type SystemEntry,
  sandboxEnvironment,
} from './bubblewrap-args.js';
export {
  defaultSandboxLimits,
  resolveSandboxLimits,
  type SandboxLimits,
  sandboxLimitsSchema,
} from './limits.js';
export {
  openProcessSandbox,
  type ProcessSandbox,
  type ProcessSandboxOptions,
  type SandboxRequest,
} from './open-process-sandbox.js';
export type { FileEntry, FixtureFile, SandboxResult, SandboxStatus, TestOutcome } from './protocol.js';
export { detectSystemLayout, prepareSandboxHost, type SandboxHost } from './sandbox-host.js';

import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { SandboxError } from '../../errors/index.js';
import { resolveSandboxLimits, type SandboxLimits } from './limits.js';
import type { SandboxResult, WorkerRequest } from './protocol.js';
import { prepareSandboxHost, type SandboxHost } from './sandbox-host.js';
import { createWorkerPool } from './worker-pool.js';

/** Options of `openProcessSandbox`. */
export interface ProcessSandboxOptions {
  /**
   * `warm`: long-lived sandboxed workers that fork a fresh child per candidate (fast).
   * `process`: a new bubblewrap sandbox and Python per candidate (slower, nothing shared).
   * @default 'warm'
   */
  readonly mode?: 'warm' | 'process';
  /** Candidates running at once. @default os.availableParallelism() */
  readonly size?: number;
  /** Limits for every candidate, over `defaultSandboxLimits`. */
  readonly limits?: Partial<SandboxLimits>;
  /** Python inside the sandbox. @default the first of /usr/bin/python3, /usr/local/bin/python3 */
  readonly pythonPath?: string;
  /** Host paths to bind read-only, e.g. the prefix of a Python installed outside /usr. */
  readonly readOnlyPaths?: readonly string[];
  /** A host found earlier by `prepareSandboxHost`, to skip the probe. */
  readonly host?: SandboxHost;
}

/** What a caller asks to run: Python code, or a Bash script, with optional stdin and fixture files. */
export type SandboxRequest = Omit<WorkerRequest, 'id' | 'limits'> & {
  readonly limits?: Partial<SandboxLimits>;
};

/** A sandbox for untrusted Python and Bash programs: each candidate's outcome is a result. */
export interface ProcessSandbox {
  readonly limits: SandboxLimits;
  /** Run one candidate; rejects only with SandboxError when no sandbox can start. */
  run(request: SandboxRequest, signal?: AbortSignal): Promise<SandboxResult>;
  /** Kill every sandbox process. Safe to call twice. */
  close(): Promise<void>;
}

async function findPython(pythonPath: string | undefined): Promise<string> {
  for (const candidate of pythonPath ? [pythonPath] : ['/usr/bin/python3', '/usr/local/bin/python3']) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // Try the next location.
    }
  }
  throw new SandboxError(
    `no Python found for the sandbox at ${pythonPath ?? '/usr/bin/python3 or /usr/local/bin/python3'}: ` +
      'install python3, or pass `pythonPath` (and `readOnlyPaths` if it lives outside /usr)',
  );
}

/**
 * Open a process sandbox under bubblewrap. Checks bubblewrap up front.
 * @throws SandboxError when bubblewrap is missing or unusable, or no Python is found: never runs unsandboxed.
 * @example
 * const sandbox = await openProcessSandbox({ limits: { wallMs: 2_000 } });
 * const result = await sandbox.run({ kind: 'python', code: 'x = 6 * 7', expression: 'x' });
 * await sandbox.close();
 */
export async function openProcessSandbox(options: ProcessSandboxOptions = {}): Promise<ProcessSandbox> {
  const limits = resolveSandboxLimits(options.limits);
  const host = options.host ?? (await prepareSandboxHost());
  const pythonPath = await findPython(options.pythonPath);
  const pool = createWorkerPool({
    mode: options.mode ?? 'warm',
    size: Math.max(1, options.size ?? availableParallelism()),
    launch: { host, pythonPath, tmpBytes: limits.tmpBytes, readOnlyPaths: options.readOnlyPaths },
  });
  return {
    limits,
    async run(request, signal) {
      const merged = request.limits ? resolveSandboxLimits({ ...limits, ...request.limits }) : limits;
      if (merged.tmpBytes !== limits.tmpBytes) {
        throw new SandboxError('`tmpBytes` is fixed when the sandbox opens; set it in openProcessSandbox');
      }
      return pool.run({ ...request, limits: merged }, signal);
    },
    close: () => pool.close(),
  };
}

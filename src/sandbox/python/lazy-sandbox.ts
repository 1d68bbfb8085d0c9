import { availableParallelism } from 'node:os';
import { openProcessSandbox, type ProcessSandbox } from '../process/index.js';

/** Options of the Python executors (Python and math tasks). */
export interface PythonExecutorOptions {
  /** Wall time of one candidate, in ms (CPU time is the same, rounded up to seconds). @default 5000 */
  readonly timeoutMs?: number;
  /** Sandboxed workers running candidates at once. @default os.availableParallelism() */
  readonly workers?: number;
  /** `warm` workers (fast) or a fresh sandbox per candidate. @default 'warm' */
  readonly mode?: 'warm' | 'process';
  /** A sandbox opened by the caller, shared and not closed by this executor. */
  readonly sandbox?: ProcessSandbox;
}

/**
 * A lazily opened sandbox: opened on the first candidate (so a task used only to extract and
 * normalise starts no process), closed by `close`. A missing bubblewrap rejects every `execute`
 * with `SandboxError`: the run stops, nothing runs unsandboxed.
 */
export function lazySandbox(options: PythonExecutorOptions): {
  get(): Promise<ProcessSandbox>;
  close(): Promise<void>;
} {
  let opening: Promise<ProcessSandbox> | undefined;
  return {
    get() {
      if (options.sandbox) return Promise.resolve(options.sandbox);
      const timeoutMs = options.timeoutMs ?? 5000;
      opening ??= openProcessSandbox({
        mode: options.mode ?? 'warm',
        size: options.workers ?? availableParallelism(),
        limits: { wallMs: timeoutMs, cpuSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) },
      });
      return opening;
    },
    async close() {
      const pending = opening;
      opening = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}

import { availableParallelism } from 'node:os';
import { openProcessSandbox, type ProcessSandbox } from '../../sandbox/process/index.js';
import { runPython } from '../../sandbox/python/index.js';
import type { ExecutionResult, Executor } from '../spec.js';
import type { PythonEnvironmentData } from './python-environment.js';

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

/**
 * The Python executor: with tests, a candidate's result is `pass` (the sandbox's worker saw every
 * test hold, comparing builtin values it decoded itself) or an error;
 * without, its key is the list of its outputs on the shared inputs (an input that raises counts as
 * the same `!error` for everyone, so an input no candidate runs tells no one apart). With neither,
 * there is nothing to compare on and the candidate is an error.
 */
export function createPythonExecutor(options: PythonExecutorOptions = {}): Executor {
  const sandbox = lazySandbox(options);
  return {
    async execute(program, environment, executeOptions): Promise<ExecutionResult> {
      const data = (environment.data ?? { tests: [], setup: '', inputs: [] }) as PythonEnvironmentData;
      const started = performance.now();
      if (data.tests.length === 0 && data.inputs.length === 0) {
        return {
          status: 'error',
          error: 'no tests and no shared inputs to check the program on',
          durationMs: 0,
        };
      }
      const box = await sandbox.get();
      const code = data.setup ? `${data.setup}\n${program}` : program;
      if (data.tests.length > 0) {
        const result = await runPython(box, { code, tests: data.tests }, executeOptions?.signal);
        const durationMs = performance.now() - started;
        if (result.status !== 'ok') return failed(result.status, result.error, durationMs);
        return {
          status: 'ok',
          key: 'pass',
          size: data.tests.length,
          preview: 'passed every test',
          durationMs,
        };
      }
      const result = await runPython(
        box,
        { code, calls: { entry: data.entryPoint, inputs: data.inputs } },
        executeOptions?.signal,
      );
      const durationMs = performance.now() - started;
      if (result.status !== 'ok') return failed(result.status, result.error, durationMs);
      const outputs = result.outputs;
      if (!outputs) return failed('error', 'the sandbox returned no outputs', durationMs);
      if (outputs.every(([, text]) => text === '!error'))
        return failed('error', 'raised on every input', durationMs);
      return {
        status: 'ok',
        key: outputs.map(([hash]) => hash).join(','),
        size: outputs.length,
        preview: outputs.slice(0, 5).map(([, text]) => text),
        durationMs,
      };
    },
    close: () => sandbox.close(),
  };
}

function failed(
  status: ExecutionResult['status'],
  error: string | undefined,
  durationMs: number,
): ExecutionResult {
  return { status, error: error ?? status, durationMs };
}

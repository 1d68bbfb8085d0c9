import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileStateKey, readFixtureDirectory, runBash } from '../../sandbox/bash/index.js';
import { type FixtureFile, openProcessSandbox, type ProcessSandbox } from '../../sandbox/process/index.js';
import type { ExecutionResult, Executor } from '../spec.js';
import { createStructuralExecutor } from '../structural-executor.js';
import { bashTreeKey } from './bash-tree-key.js';
import { parseShell } from './mvdan-sh.js';

/** Options of the Bash executor. */
export interface BashExecutorOptions {
  /**
   * Run candidates in the sandbox, in a private copy of `fixture`, and key them by their stdout and
   * the files they leave. Without it, candidates are only parsed and keyed by their syntax tree.
   * @default false
   */
  readonly execute?: boolean;
  /** A directory (or files read by `readFixtureDirectory`) copied into each candidate's working directory. */
  readonly fixture?: string | readonly FixtureFile[];
  /** Wall time of one candidate, in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Sandboxed workers running candidates at once. @default os.availableParallelism() */
  readonly workers?: number;
  /** A sandbox opened by the caller, shared and not closed by this executor. */
  readonly sandbox?: ProcessSandbox;
}

/** Parse a Bash program and give its tree key, or why it does not parse. */
export function checkBash(program: string): { ok: true; key: string } | { ok: false; error: string } {
  try {
    return { ok: true, key: bashTreeKey(parseShell(program)) };
  } catch (error) {
    return { ok: false, error: `syntax error: ${(error as Error).message}` };
  }
}

/** The Bash executor: parse-only by default, or parse then run in the sandbox with `execute`. */
export function createBashExecutor(options: BashExecutorOptions = {}): Executor {
  if (!options.execute) return createStructuralExecutor(checkBash);
  let opening: Promise<{ sandbox: ProcessSandbox; fixture: readonly FixtureFile[] }> | undefined;
  const open = () => {
    opening ??= (async () => {
      const fixture =
        typeof options.fixture === 'string'
          ? await readFixtureDirectory(options.fixture)
          : (options.fixture ?? []);
      const timeoutMs = options.timeoutMs ?? 5000;
      const sandbox =
        options.sandbox ??
        (await openProcessSandbox({
          size: options.workers ?? availableParallelism(),
          limits: { wallMs: timeoutMs, cpuSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) },
        }));
      return { sandbox, fixture };
    })();
    return opening;
  };
  return {
    async execute(program, _environment, executeOptions): Promise<ExecutionResult> {
      const started = performance.now();
      const parsed = checkBash(program);
      if (!parsed.ok)
        return { status: 'error', error: parsed.error, durationMs: performance.now() - started };
      const { sandbox, fixture } = await open();
      const result = await runBash(sandbox, { script: program, fixture }, executeOptions?.signal);
      const durationMs = performance.now() - started;
      if (result.status !== 'ok')
        return { status: result.status, error: result.error ?? result.status, durationMs };
      const state = fileStateKey(result.files);
      const key = createHash('sha256')
        .update(JSON.stringify([result.stdout, state]))
        .digest('hex')
        .slice(0, 32);
      return {
        status: 'ok',
        key,
        size: result.files.length,
        preview: { stdout: result.stdout.slice(0, 200), files: result.files.length },
        normalised: parsed.key,
        durationMs,
      };
    },
    async close() {
      const pending = opening;
      opening = undefined;
      if (pending && !options.sandbox) await (await pending.catch(() => undefined))?.sandbox.close();
    },
  };
}

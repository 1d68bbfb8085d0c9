import { ANSWER_HARNESS } from '../../sandbox/python/harness.js';
import { runPython } from '../../sandbox/python/index.js';
import { lazySandbox, type PythonExecutorOptions } from '../../sandbox/python/lazy-sandbox.js';
import type { ExecutionResult, Executor } from '../spec.js';
import { numericKey, parseAnswerNumber } from './numeric.js';

/**
 * The math executor: runs a program-of-thought in the sandbox and keys it by its numeric answer
 * (the `answer` or `result` variable, else `solution()`, else the last number printed).
 */
export function createMathExecutor(options: PythonExecutorOptions = {}): Executor {
  const sandbox = lazySandbox(options);
  return {
    async execute(program, _environment, executeOptions): Promise<ExecutionResult> {
      const started = performance.now();
      const box = await sandbox.get();
      const result = await runPython(
        box,
        { code: `${program}\n\n${ANSWER_HARNESS}`, expression: '__symgen_answer()' },
        executeOptions?.signal,
      );
      const durationMs = performance.now() - started;
      if (result.status !== 'ok')
        return { status: result.status, error: result.error ?? result.status, durationMs };
      const answer = result.result;
      if (answer !== null && typeof answer !== 'number' && typeof answer !== 'string') {
        // Not a number or text the worker decoded: the candidate's own repr is never trusted.
        return {
          status: 'error',
          error: `the answer is not a number: ${result.resultRepr ?? ''}`,
          durationMs,
        };
      }
      const value =
        typeof result.result === 'number'
          ? result.result
          : parseAnswerNumber(typeof result.result === 'string' ? result.result : lastLine(result.stdout));
      if (value === null) {
        return {
          status: 'error',
          error: 'no numeric answer: set `answer`, define `solution()` or print the number',
          durationMs,
        };
      }
      return { status: 'ok', key: numericKey(value), preview: value, durationMs };
    },
    close: () => sandbox.close(),
  };
}

function lastLine(stdout: string): string {
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

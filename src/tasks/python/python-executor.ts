import { runPython } from '../../sandbox/python/index.js';
import { lazySandbox, type PythonExecutorOptions } from '../../sandbox/python/lazy-sandbox.js';
import type { ExecutionResult, Executor } from '../spec.js';
import { codetKey, withoutAsserts } from './codet.js';
import type { PythonEnvironmentData } from './python-environment.js';

export type { PythonExecutorOptions };

/**
 * The Python executor: with tests, a candidate's result is `pass` (the sandbox's worker saw every
 * test hold, comparing builtin values it decoded itself) or an error; without tests but with
 * generated asserts (CodeT), the set of asserts it passes (`codet:...`, scored by `codetScore`);
 * with neither, its key is the list of its outputs on the shared inputs (an input that raises counts as
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
      if (data.generatedTests && data.generatedTests.length > 0) {
        // CodeT: the program (its own asserts left out) against each generated assert, one by one.
        const bare = withoutAsserts(code);
        const passed: boolean[] = [];
        for (const test of data.generatedTests) {
          const run = await runPython(box, { code: bare, tests: [test] }, executeOptions?.signal);
          passed.push(run.status === 'ok');
        }
        const durationMs = performance.now() - started;
        if (!passed.some(Boolean)) return failed('error', 'passes none of the generated asserts', durationMs);
        return {
          status: 'ok',
          key: codetKey(passed),
          size: passed.filter(Boolean).length,
          preview: `passes ${passed.filter(Boolean).length} of ${passed.length} generated asserts`,
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

import type { SandboxLimits } from '../process/limits.js';
import type { ProcessSandbox } from '../process/open-process-sandbox.js';
import type { SandboxResult } from '../process/protocol.js';

/** One Python candidate: a program, optionally tests to run after it and an expression to report. */
export interface PythonCandidate {
  /** The generated program, e.g. a function definition. */
  readonly code: string;
  /**
   * Statements run after `code` in the same namespace, e.g. MBPP's `assert f(1) == 2` lines. The
   * sandbox's worker judges each (the candidate only reports the values of its calls): `ok` means
   * every test was seen to hold; an early exit, a non-builtin value or a false assert is an `error`.
   * HumanEval-style tests (`def check(candidate): ...` then `check(f)`, or loops over asserts) run
   * in the worker itself, calling the program's functions in the candidate on builtin values.
   */
  readonly tests?: readonly string[];
  /** Call a function on shared inputs; canonical outputs come back as `outputs`. */
  readonly calls?: { readonly entry?: string; readonly inputs: readonly string[] };
  /** An expression evaluated after `code` and `tests`; its value comes back as `result`/`resultRepr`. */
  readonly expression?: string;
  /** Text on the program's standard input. */
  readonly stdin?: string;
  /** Limits for this candidate only, over the sandbox's. */
  readonly limits?: Partial<SandboxLimits>;
}

/**
 * Run one Python candidate in the sandbox: a failed assert is an `error` result, an endless loop
 * a `timeout`, a candidate that kills its worker a `crash`; none of them throws.
 * @example
 * const result = await runPython(sandbox, { code: 'def add(a, b):\n  return a + b', expression: 'add(2, 3)' });
 * // result.status === 'ok', result.result === 5
 */
export function runPython(
  sandbox: ProcessSandbox,
  candidate: PythonCandidate,
  signal?: AbortSignal,
): Promise<SandboxResult> {
  return sandbox.run(
    {
      kind: 'python',
      code: candidate.code,
      tests: candidate.tests,
      calls: candidate.calls,
      expression: candidate.expression,
      stdin: candidate.stdin,
      limits: candidate.limits,
    },
    signal,
  );
}

import type { ExecutionResult, Executor } from './spec.js';

/** What checking one program's structure gives: its normal form as the result key, or why it is invalid. */
export type StructuralCheck =
  | { readonly ok: true; readonly key: string; readonly size?: number; readonly preview?: unknown }
  | { readonly ok: false; readonly error: string };

/**
 * An executor for tasks with no runtime (TOP, QDMR, Bash without `--execute`): "executing" a program
 * validates its structure, and the result key is its normal form, so agreement is taken on normal
 * forms, as SymGen does where no executor exists. Pure and in-process: nothing to sandbox.
 */
export function createStructuralExecutor(check: (program: string) => StructuralCheck): Executor {
  return {
    async execute(program): Promise<ExecutionResult> {
      const started = performance.now();
      let outcome: StructuralCheck;
      try {
        outcome = check(program);
      } catch (error) {
        // A parser bug on odd input is this candidate's failure, not the run's.
        outcome = { ok: false, error: `cannot check: ${(error as Error).message}` };
      }
      const durationMs = performance.now() - started;
      if (!outcome.ok) return { status: 'error', error: outcome.error, durationMs };
      return {
        status: 'ok',
        key: outcome.key,
        normalised: outcome.key,
        ...(outcome.size === undefined ? {} : { size: outcome.size }),
        ...(outcome.preview === undefined ? {} : { preview: outcome.preview }),
        durationMs,
      };
    },
    async close() {
      // Nothing to release: no process, no cache beyond the caller's.
    },
  };
}

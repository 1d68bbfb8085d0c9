import type { ExecutionEnvironment, TaskRecord } from '../spec.js';

/** What a Python example's candidates are checked against. */
export interface PythonEnvironmentData {
  /** Test statements (MBPP's asserts): when present, a candidate passes or fails them. */
  readonly tests: readonly string[];
  /** Code run before the candidate (MBPP's `test_setup_code`). */
  readonly setup: string;
  /** Argument lists shared by all candidates (`"[1, 2], 3"`), when there are no tests. */
  readonly inputs: readonly string[];
  /** The function to call on the inputs; default: the last function the candidate defines. */
  readonly entryPoint?: string;
}

/** Inputs at most per example: proposed inputs past it are dropped (first come, first kept). */
export const MAX_SHARED_INPUTS = 32;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * The environment of a Python example: its tests (`tests` or MBPP's `test_list`, plus
 * `challenge_test_list` when asked), setup code, and the shared inputs: the example's `inputs` and
 * those its candidates propose (`candidates[].inputs`), deduplicated.
 */
export function pythonEnvironment(
  record: TaskRecord,
): ExecutionEnvironment & { data: PythonEnvironmentData } {
  const tests = [...strings(record.tests), ...strings(record.test_list)];
  const setup = [record.setup, record.test_setup_code].filter((part) => typeof part === 'string').join('\n');
  const proposed = Array.isArray(record.candidates)
    ? record.candidates.flatMap((candidate) =>
        typeof candidate === 'object' && candidate !== null
          ? strings((candidate as { inputs?: unknown }).inputs)
          : [],
      )
    : [];
  const inputs = [...new Set([...strings(record.inputs), ...proposed].map((input) => input.trim()))].slice(
    0,
    MAX_SHARED_INPUTS,
  );
  const entryPoint = typeof record.entry_point === 'string' ? record.entry_point : undefined;
  const id = record.task_id ?? record.id;
  return {
    id: id === undefined ? '' : String(id),
    data: { tests, setup, inputs, ...(entryPoint ? { entryPoint } : {}) },
  };
}

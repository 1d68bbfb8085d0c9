import type { ExecutionEnvironment, TaskRecord } from '../spec.js';
import { assertsInText, MAX_GENERATED_TESTS } from './codet.js';

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
  /**
   * Without tests: asserts the model wrote (`generated_tests`, and the assert lines in the
   * candidates' texts), each run against every candidate (CodeT, `codet.ts`). Absent when none.
   */
  readonly generatedTests?: readonly string[];
}

/** Inputs at most per example: proposed inputs past it are dropped (first come, first kept). */
export const MAX_SHARED_INPUTS = 32;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * Inputs a candidate proposes in its own text: the arguments of top-level calls of a function it
 * defines (`print(f(1, 2))`, `assert f([3]) == 3`, `f("x")`), e.g. the usage examples a model writes
 * after its function.
 */
export function callsInText(text: string): string[] {
  const names = [...text.matchAll(/^def (\w+)\s*\(/gm)].map((match) => match[1]!);
  if (names.length === 0) return [];
  const calls: string[] = [];
  const pattern = new RegExp(`^(?:print\\(|assert\\s+)?\\s*(?:${names.join('|')})\\(`, 'gm');
  for (const match of text.matchAll(pattern)) {
    let depth = 1;
    let index = match.index + match[0].length;
    const start = index;
    for (; index < text.length && depth > 0; index++) {
      const char = text[index];
      if (char === '"' || char === "'") {
        // Skip a string literal, so brackets inside it do not count.
        for (index++; index < text.length && text[index] !== char && text[index] !== '\n'; index++) {
          if (text[index] === '\\') index++;
        }
      } else if (char === '(' || char === '[' || char === '{') depth++;
      else if (char === ')' || char === ']' || char === '}') depth--;
      else if (char === '\n') break;
    }
    if (depth === 0) calls.push(text.slice(start, index - 1).trim());
  }
  return calls;
}

/**
 * The environment of a Python example: its tests (`tests` or MBPP's `test_list`), setup code, the
 * generated asserts when it has no tests (CodeT), and the shared inputs: the example's `inputs` and
 * those its candidates propose (`candidates[].inputs`, and calls in their text: `callsInText`),
 * deduplicated, at most `MAX_SHARED_INPUTS`.
 */
export function pythonEnvironment(
  record: TaskRecord,
): ExecutionEnvironment & { data: PythonEnvironmentData } {
  const tests = [...strings(record.tests), ...strings(record.test_list)];
  const setup = [record.setup, record.test_setup_code].filter((part) => typeof part === 'string').join('\n');
  const proposed = Array.isArray(record.candidates)
    ? record.candidates.flatMap((candidate) => {
        if (typeof candidate === 'string') return callsInText(candidate);
        if (typeof candidate !== 'object' || candidate === null) return [];
        const { inputs, program } = candidate as { inputs?: unknown; program?: unknown };
        return [...strings(inputs), ...(typeof program === 'string' ? callsInText(program) : [])];
      })
    : [];
  const inputs = [...new Set([...strings(record.inputs), ...proposed].map((input) => input.trim()))].slice(
    0,
    MAX_SHARED_INPUTS,
  );
  const entryPoint = typeof record.entry_point === 'string' ? record.entry_point : undefined;
  const id = record.task_id ?? record.id;
  // Without tests, the asserts the model wrote (CodeT): given, then from each candidate's text.
  const written =
    tests.length > 0
      ? []
      : [
          ...strings(record.generated_tests),
          ...(Array.isArray(record.candidates)
            ? record.candidates.flatMap((candidate) => {
                if (typeof candidate === 'string') return assertsInText(candidate);
                const program = (candidate as { program?: unknown } | null)?.program;
                return typeof program === 'string' ? assertsInText(program) : [];
              })
            : []),
        ];
  const generatedTests = [...new Set(written.map((test) => test.trim()))].slice(0, MAX_GENERATED_TESTS);
  return {
    id: id === undefined ? '' : String(id),
    data: {
      tests,
      setup,
      inputs,
      ...(entryPoint ? { entryPoint } : {}),
      ...(generatedTests.length > 0 ? { generatedTests } : {}),
    },
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureFromTests } from '../src/tasks/python/index.js';
import { SHARED_DATA } from './shared-data.js';

/** An MBPP problem with its tests kept aside (the truth), for CodeT's test and measurement. */
export interface MbppProblem {
  readonly taskId: number;
  readonly text: string;
  readonly code: string;
  readonly tests: readonly string[];
  readonly name: string;
}

/** MBPP problems of test/data/mbpp whose tests name one function and need no setup code. */
export function mbppProblems(): MbppProblem[] {
  return readFileSync(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((row) => !row.test_setup_code && signatureFromTests(row.test_list))
    .map((row) => ({
      taskId: row.task_id,
      text: row.text,
      code: String(row.code).replace(/\r\n?/g, '\n'),
      tests: row.test_list,
      name: signatureFromTests(row.test_list)!.name,
    }));
}

/**
 * A wrong program for `problem`: gold renamed, then a wrapper under gold's name that bends its result
 * (a number plus one, a string with a letter more, a sequence without its first item, a boolean
 * negated), so it runs, returns a plausible value and fails the real tests. `variant` 1 bends
 * differently (a number times two and minus one, a string reversed, a sequence reversed).
 */
export function wrongProgram(problem: MbppProblem, variant = 0): string {
  const bend =
    variant === 0
      ? [
          '    if isinstance(r, bool): return not r',
          '    if isinstance(r, (int, float)): return r + 1',
          "    if isinstance(r, str): return r + 'z'",
          '    if isinstance(r, (list, tuple)): return type(r)(list(r)[1:]) if len(r) > 0 else type(r)([0])',
          '    return None',
        ]
      : [
          '    if isinstance(r, bool): return not r',
          '    if isinstance(r, (int, float)): return r * 2 - 1',
          "    if isinstance(r, str): return r[::-1] + 'q'",
          '    if isinstance(r, (list, tuple)): return type(r)(list(r)[::-1] + [0])',
          '    return 0',
        ];
  // gold under another name first, the wrapper last: the last function defined is the entry point
  const inner = `_gold_${variant}`;
  return [
    problem.code.replace(new RegExp(`\\b${problem.name}\\(`, 'g'), `${inner}(`),
    '',
    `def ${problem.name}(*args, **kwargs):`,
    `    r = ${inner}(*args, **kwargs)`,
    ...bend,
  ].join('\n');
}

/** An assert that only a wrong program passes: the first real test with `==` turned to `!=`. */
export function wrongAssert(problem: MbppProblem): string {
  return problem.tests[0]!.replace(/\s==\s/, ' != ');
}

/**
 * A model answer: the program in a python fence, then the asserts as the model wrote them (CodeT),
 * or, `form: 'calls'`, the same calls printed without expected values (the inputs-only agreement).
 */
export function answer(program: string, asserts: readonly string[], form: 'asserts' | 'calls'): string {
  const lines =
    form === 'asserts'
      ? asserts
      : asserts.map((line) => {
          const match = /^assert\s+(.*?)\s*(?:==|!=)\s*.*$/.exec(line);
          return match ? `print(${match[1]})` : line;
        });
  return `\`\`\`python\n${program}\n\n${lines.join('\n')}\n\`\`\``;
}

/** Mixes of 10 samples (how many of each kind) used by the test and the measurement. */
export const MIXES = {
  'correct majority (7 correct, 3 wrong)': { correct: 7, wrong: 3, other: 0 },
  'correct minority (4 correct, 6 wrong)': { correct: 4, wrong: 6, other: 0 },
  'split wrong (3 correct, 4 wrong, 3 another wrong)': { correct: 3, wrong: 4, other: 3 },
} as const;

/**
 * The 10 candidate texts of `problem` under `mix`: correct candidates write two of the real tests
 * each (rotating), wrong ones write the assert only they pass and one real test they fail.
 */
export function candidateTexts(
  problem: MbppProblem,
  mix: { correct: number; wrong: number; other: number },
  form: 'asserts' | 'calls',
): string[] {
  const texts: string[] = [];
  const tests = problem.tests;
  for (let index = 0; index < mix.correct; index++)
    texts.push(
      answer(problem.code, [tests[index % tests.length]!, tests[(index + 1) % tests.length]!], form),
    );
  for (let index = 0; index < mix.wrong; index++)
    texts.push(answer(wrongProgram(problem, 0), [wrongAssert(problem), tests[index % tests.length]!], form));
  for (let index = 0; index < mix.other; index++)
    texts.push(answer(wrongProgram(problem, 1), [tests[(index + 2) % tests.length]!], form));
  // interleave deterministically so order does not favour a kind
  return texts
    .map((text, index) => ({ text, index }))
    .sort((a, b) => ((a.index * 7) % 10) - ((b.index * 7) % 10))
    .map((entry) => entry.text);
}

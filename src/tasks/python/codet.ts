/**
 * CodeT (Chen et al., 2022, "CodeT: Code Generation with Generated Tests") for Python problems
 * without tests: the model writes assert lines with its function (or a separate prompt writes
 * them, `generated_tests`), every candidate runs in the sandbox against every generated assert,
 * candidates that pass the same asserts form one consensus set, and a set scores
 * (programs in it) x (asserts they pass): dual agreement, so a wrong majority that fails the
 * asserts most samples wrote loses to a smaller set that passes them.
 *
 * A result key in this mode is `codet:<passed>/<asserts>:<one bit per assert>`.
 */

/** Generated asserts at most per example (first come, first kept). */
export const MAX_GENERATED_TESTS = 32;

/**
 * The assert lines a candidate writes after its function: top-level `assert` statements that call a
 * function the text defines (`assert f(1, 2) == 3`, `assert not f([])`), one line each.
 */
export function assertsInText(text: string): string[] {
  const names = [...text.matchAll(/^def (\w+)\s*\(/gm)].map((match) => match[1]!);
  if (names.length === 0) return [];
  const calls = new RegExp(`\\b(?:${names.join('|')})\\(`);
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => /^assert\s/.test(line) && calls.test(line))
    .map((line) => line.trimEnd());
}

/** A program without its own top-level assert lines (they are tests, run one by one, not code). */
export function withoutAsserts(program: string): string {
  return program
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !/^assert\s/.test(line))
    .join('\n');
}

/** The key of a candidate that passed `passed` (one boolean per generated assert). */
export function codetKey(passed: readonly boolean[]): string {
  const count = passed.filter(Boolean).length;
  return `codet:${count}/${passed.length}:${passed.map((bit) => (bit ? '1' : '0')).join('')}`;
}

/**
 * A result group's score in the vote: CodeT's dual agreement, (programs) x (asserts passed), for a
 * `codet:` key; the votes alone for any other key.
 */
export function codetScore(key: string, votes: number): number {
  const match = /^codet:(\d+)\//.exec(key);
  return match ? votes * Number(match[1]) : votes;
}

import { tokenizeSql } from '../tokenize.js';

/** The literals of some SQL programs: numbers and strings, each sorted and without repeats. */
export interface SqlLiterals {
  readonly numbers: readonly number[];
  readonly strings: readonly string[];
}

/** Collect the numeric and string literals of `programs` (a leading minus sign belongs to its number). */
export function collectLiterals(programs: Iterable<string>): SqlLiterals {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  for (const program of programs) {
    const tokens = tokenizeSql(program, 10_000);
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      if (token.kind === 'number') {
        const value = Number(token.text);
        if (!Number.isFinite(value)) continue;
        const previous = tokens[index - 1];
        const beforeThat = tokens[index - 2];
        const negative =
          previous?.text === '-' &&
          (beforeThat === undefined || beforeThat.kind === 'punct' || beforeThat.kind === 'word');
        numbers.add(negative ? -value : value);
      } else if (token.kind === 'string') {
        strings.add(token.text.slice(1, -1).replaceAll("''", "'"));
      }
    }
  }
  return {
    numbers: [...numbers].sort((a, b) => a - b),
    strings: [...strings].sort(),
  };
}

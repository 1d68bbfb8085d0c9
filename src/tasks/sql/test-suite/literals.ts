import { type SqlToken, tokenizeSql } from '../tokenize.js';

/** The literals of some SQL programs: numbers and strings, each sorted and without repeats. */
export interface SqlLiterals {
  readonly numbers: readonly number[];
  readonly strings: readonly string[];
  /**
   * Numbers by the column they are compared with (lower-cased name, qualifier dropped, through
   * `CAST(col AS ...)` too): `population > 150000` gives `population: [150000]`, wherever it stands
   * (a subquery, a join condition, a HAVING). Absent when no number is compared with a column.
   */
  readonly byColumn?: Readonly<Record<string, readonly number[]>>;
  /** Strings compared with a column by `=` (lower-cased column name): `state_name = 'vermont'`. */
  readonly stringsByColumn?: Readonly<Record<string, readonly string[]>>;
  /** Numbers compared with an aggregate `COUNT(...)`: group sizes (`HAVING COUNT(*) > 3`). */
  readonly counts?: readonly number[];
}

const COMPARISONS = new Set(['>', '<', '>=', '<=', '=', '==', '!=', '<>']);

/** Collect the numeric and string literals of `programs` (a leading minus sign belongs to its number). */
export function collectLiterals(programs: Iterable<string>): SqlLiterals {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  const byColumn = new Map<string, Set<number>>();
  const counts = new Set<number>();
  const stringColumns = new Map<string, Set<string>>();
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
        const signed = negative ? -value : value;
        numbers.add(signed);
        const operand = comparedOperand(tokens, negative ? index - 1 : index);
        if (operand === 'count(') counts.add(signed);
        else if (operand !== undefined) {
          const set = byColumn.get(operand) ?? new Set<number>();
          set.add(signed);
          byColumn.set(operand, set);
        }
      } else if (token.kind === 'string') {
        const value = token.text.slice(1, -1).replaceAll("''", "'");
        strings.add(value);
        const before = tokens[index - 1];
        const after = tokens[index + 1];
        const operand =
          before && (before.text === '=' || before.text === '==')
            ? operandEndingAt(tokens, index - 2)
            : after && (after.text === '=' || after.text === '==')
              ? operandStartingAt(tokens, index + 2)
              : undefined;
        if (operand !== undefined && operand !== 'count(') {
          const set = stringColumns.get(operand) ?? new Set<string>();
          set.add(value);
          stringColumns.set(operand, set);
        }
      }
    }
  }
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return {
    numbers: sorted(numbers),
    strings: [...strings].sort(),
    ...(byColumn.size > 0
      ? {
          byColumn: Object.fromEntries(
            [...byColumn.keys()].sort().map((name) => [name, sorted(byColumn.get(name)!)]),
          ),
        }
      : {}),
    ...(stringColumns.size > 0
      ? {
          stringsByColumn: Object.fromEntries(
            [...stringColumns.keys()].sort().map((name) => [name, [...stringColumns.get(name)!].sort()]),
          ),
        }
      : {}),
    ...(counts.size > 0 ? { counts: sorted(counts) } : {}),
  };
}

/**
 * What the number starting at token `at` is compared with: a column's lower-cased name, `'count('`
 * for `COUNT(...)`, or undefined. Reads `col OP n`, `t.col OP n`, `CAST(t.col AS T) OP n`,
 * `COUNT(...) OP n`, `col BETWEEN n AND m` and `n OP col`.
 */
function comparedOperand(tokens: readonly SqlToken[], at: number): string | undefined {
  const before = tokens[at - 1];
  if (before && COMPARISONS.has(before.text)) {
    const left = operandEndingAt(tokens, at - 2);
    if (left !== undefined) return left;
  }
  // BETWEEN n AND m
  for (const back of [1, 3]) {
    if (isWord(tokens[at - back], 'between') && (back === 1 || isWord(tokens[at - 1], 'and'))) {
      const left = operandEndingAt(tokens, at - back - 1);
      if (left !== undefined) return left;
    }
  }
  const after = tokens[at + 1];
  if (after && COMPARISONS.has(after.text)) return operandStartingAt(tokens, at + 2);
  return undefined;
}

function operandEndingAt(tokens: readonly SqlToken[], end: number): string | undefined {
  const last = tokens[end];
  if (!last) return undefined;
  if (last.kind === 'word' || last.kind === 'quoted-identifier') return columnName(last);
  if (last.text !== ')') return undefined;
  // find the matching '('
  let depth = 0;
  let open = -1;
  for (let index = end; index >= 0; index--) {
    if (tokens[index]!.text === ')') depth++;
    else if (tokens[index]!.text === '(' && --depth === 0) {
      open = index;
      break;
    }
  }
  if (open < 1) return undefined;
  if (isWord(tokens[open - 1], 'count')) return 'count(';
  if (isWord(tokens[open - 1], 'cast')) {
    const as = tokens.findIndex((token, index) => index > open && isWord(token, 'as'));
    if (as > open + 1) return operandEndingAt(tokens, as - 1);
  }
  return undefined;
}

function operandStartingAt(tokens: readonly SqlToken[], start: number): string | undefined {
  const first = tokens[start];
  if (!first) return undefined;
  if (isWord(first, 'cast') && tokens[start + 1]?.text === '(') return operandStartingAt(tokens, start + 2);
  if (isWord(first, 'count') && tokens[start + 1]?.text === '(') return 'count(';
  if (first.kind !== 'word' && first.kind !== 'quoted-identifier') return undefined;
  if (tokens[start + 1]?.text === '.') {
    const column = tokens[start + 2];
    return column && (column.kind === 'word' || column.kind === 'quoted-identifier')
      ? columnName(column)
      : undefined;
  }
  return columnName(first);
}

const NOT_COLUMNS = new Set([
  'and',
  'or',
  'not',
  'where',
  'having',
  'on',
  'when',
  'then',
  'else',
  'limit',
  'offset',
  'select',
]);

function columnName(token: SqlToken): string | undefined {
  const name = token.kind === 'quoted-identifier' ? token.text.slice(1, -1) : token.text;
  const lower = name.toLowerCase();
  return token.kind === 'word' && NOT_COLUMNS.has(lower) ? undefined : lower;
}

function isWord(token: SqlToken | undefined, word: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text.toLowerCase() === word;
}

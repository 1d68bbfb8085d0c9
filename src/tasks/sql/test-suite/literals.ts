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
  /**
   * Columns whose order a candidate reads (lower-cased names): named in an `ORDER BY`, or inside
   * `MIN(...)` / `MAX(...)`; where an `ORDER BY` names an alias (`AS n ... ORDER BY n`), every name
   * of that program. Only these need values without ties (a `LIMIT` through a tie is a coin toss).
   */
  readonly ordered?: readonly string[];
  /** Columns named in a `GROUP BY` (lower-cased, qualifier dropped). */
  readonly grouped?: readonly string[];
}

const COMPARISONS = new Set(['>', '<', '>=', '<=', '=', '==', '!=', '<>']);

/** Collect the numeric and string literals of `programs` (a leading minus sign belongs to its number). */
export function collectLiterals(programs: Iterable<string>): SqlLiterals {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  const byColumn = new Map<string, Set<number>>();
  const counts = new Set<number>();
  const stringColumns = new Map<string, Set<string>>();
  const ordered = new Set<string>();
  const grouped = new Set<string>();
  for (const program of programs) {
    const tokens = tokenizeSql(program, 10_000);
    for (const name of orderedNames(tokens)) ordered.add(name);
    for (const name of groupedNames(tokens)) grouped.add(name);
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
    ...(ordered.size > 0 ? { ordered: [...ordered].sort() } : {}),
    ...(grouped.size > 0 ? { grouped: [...grouped].sort() } : {}),
  };
}

const ORDER_WORDS = new Set(['asc', 'desc', 'nulls', 'first', 'last', 'collate', 'by']);
const ORDER_END = new Set(['limit', 'offset', 'union', 'intersect', 'except', 'window']);

/** Words of SQL that are not names (an over-long list of names is harmless, this only tidies it). */
const SQL_WORDS = new Set(
  'select from where as by order group having limit offset and or not in is null like between join inner left right outer cross on using distinct all union intersect except asc desc case when then else end exists cast collate'.split(
    ' ',
  ),
);

const GROUP_END = new Set(['having', 'order', 'limit', 'union', 'intersect', 'except', 'window']);

/** The columns a program groups by. */
function groupedNames(tokens: readonly SqlToken[]): Set<string> {
  const names = new Set<string>();
  for (let index = 0; index < tokens.length; index++) {
    if (!isWord(tokens[index], 'group') || !isWord(tokens[index + 1], 'by')) continue;
    let depth = 0;
    for (let inner = index + 2; inner < tokens.length; inner++) {
      const current = tokens[inner]!;
      if (current.text === '(') depth++;
      else if (current.text === ')' && --depth < 0) break;
      if (depth === 0 && (current.text === ';' || GROUP_END.has(current.text.toLowerCase()))) break;
      if (current.kind !== 'word' && current.kind !== 'quoted-identifier') continue;
      if (tokens[inner + 1]?.text === '(' || tokens[inner + 1]?.text === '.') continue;
      const name = columnName(current);
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

/** The names a program orders by (see `SqlLiterals.ordered`). */
function orderedNames(tokens: readonly SqlToken[]): Set<string> {
  const names = new Set<string>();
  const aliases = new Set<string>();
  let aliased = false;
  const identifier = (token: SqlToken | undefined) =>
    token !== undefined && (token.kind === 'word' || token.kind === 'quoted-identifier')
      ? columnName(token)
      : undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (isWord(token, 'as')) {
      const alias = identifier(tokens[index + 1]);
      if (alias !== undefined) aliases.add(alias);
    }
    if ((isWord(token, 'min') || isWord(token, 'max')) && tokens[index + 1]?.text === '(') {
      let depth = 0;
      for (let inner = index + 1; inner < tokens.length; inner++) {
        const text = tokens[inner]!.text;
        if (text === '(') depth++;
        else if (text === ')' && --depth === 0) break;
        const name = identifier(tokens[inner]);
        if (name !== undefined && tokens[inner + 1]?.text !== '.') names.add(name);
      }
    }
    if (isWord(token, 'order') && isWord(tokens[index + 1], 'by')) {
      let depth = 0;
      for (let inner = index + 2; inner < tokens.length; inner++) {
        const current = tokens[inner]!;
        if (current.text === '(') depth++;
        else if (current.text === ')' && --depth < 0) break;
        if (depth === 0 && (current.text === ';' || ORDER_END.has(current.text.toLowerCase()))) break;
        const name = identifier(current);
        if (name === undefined || ORDER_WORDS.has(name)) continue;
        // a function (its arguments are read on) or a table's qualifier
        if (tokens[inner + 1]?.text === '(' || tokens[inner + 1]?.text === '.') continue;
        names.add(name);
        if (aliases.has(name)) aliased = true;
      }
    }
  }
  // An alias may be named before it is defined (`ORDER BY n` after `AS n` is usual, not required).
  for (const name of names) if (aliases.has(name)) aliased = true;
  if (aliased)
    for (const token of tokens) {
      const name = identifier(token);
      if (name !== undefined && !(token.kind === 'word' && SQL_WORDS.has(name))) names.add(name);
    }
  return names;
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
  // AVG(col), MIN(col), MAX(col): values of col next to the literal move the aggregate across it
  const aggregate = ['avg', 'min', 'max'].some((name) => isWord(tokens[open - 1], name));
  if ((isWord(tokens[open - 1], 'cast') || aggregate) && end - open === 2)
    return operandEndingAt(tokens, end - 1);
  if (aggregate && end - open === 4 && tokens[open + 2]?.text === '.')
    return operandEndingAt(tokens, end - 1);
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

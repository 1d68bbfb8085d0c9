/**
 * Type traps: SQLite compares a TEXT value with a number as text (a TEXT value is always greater than
 * any number), and orders TEXT lexically, so on a column declared TEXT that holds numbers
 * `highest_elevation > 1000` keeps every row and `ORDER BY highest_elevation` puts '900' after '6000'.
 * A program doing that runs, returns rows, and may even win a vote; it is still wrong. This module
 * finds such columns in a database (`textNumberColumns`) and the places where a program uses one
 * without a cast (`findTypeTraps`).
 */
import type Database from 'better-sqlite3';
import { openReadOnly, quoteIdentifier, readSqliteSchema, type SqlSchema } from '../schema.js';
import { type SqlToken, tokenizeSql } from '../tokenize.js';

const KEYWORDS = new Set(
  'select from where and or not as on join inner left right outer cross natural group by order having limit offset asc desc in like glob between is null distinct all union intersect except case when then else end cast exists using values'.split(
    ' ',
  ),
);

/** A column whose declared type and stored values disagree: declared text-like, holding numbers. */
export interface TextNumberColumn {
  readonly table: string;
  readonly column: string;
  /** The declared type as written (`text`, `varchar(10)`, `''`). */
  readonly declared: string;
  /** Share of the distinct non-null values read that are numbers written as text. */
  readonly numericShare: number;
  /** A few of those values, for the prompt. */
  readonly examples: readonly string[];
}

/** Where a program compares, orders or aggregates a {@link TextNumberColumn} without a cast. */
export interface TypeTrap {
  readonly table: string;
  readonly column: string;
  /** `compare`: against a number; `order`: ORDER BY it; `aggregate`: MAX/MIN of it. */
  readonly kind: 'compare' | 'order' | 'aggregate';
  /** The tokens around the use, for a reason detail. */
  readonly near: string;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** SQLite's affinity rules: a declared type naming INT, REAL/FLOA/DOUB or NUMERIC/DECIMAL is numeric. */
function declaredNumeric(type: string): boolean {
  return /INT|REAL|FLOA|DOUB|NUM|DEC/i.test(type);
}

/**
 * Columns declared with a non-numeric type whose text values are (at least `minShare` of at least
 * `minValues` distinct non-null ones, 200 read) numbers. A column with no stored text value is not one.
 */
export function textNumberColumns(
  db: Database.Database,
  schema: SqlSchema,
  options: { minShare?: number; minValues?: number } = {},
): TextNumberColumn[] {
  const minShare = options.minShare ?? 0.8;
  const minValues = options.minValues ?? 3;
  const found: TextNumberColumn[] = [];
  for (const table of schema.tables) {
    for (const column of table.columns) {
      if (declaredNumeric(column.type)) continue;
      const quoted = quoteIdentifier(column.name);
      let values: string[];
      try {
        values = (
          db
            .prepare(
              `SELECT DISTINCT ${quoted} AS v FROM ${quoteIdentifier(table.name)} WHERE typeof(${quoted}) = 'text' LIMIT 200`,
            )
            .all() as { v: string }[]
        ).map((row) => row.v);
      } catch {
        continue;
      }
      if (values.length < minValues) continue;
      const numeric = values.filter((value) => NUMBER_TEXT.test(value));
      const share = numeric.length / values.length;
      if (share >= minShare)
        found.push({
          table: table.name,
          column: column.name,
          declared: column.type,
          numericShare: share,
          examples: numeric.slice(0, 3),
        });
    }
  }
  return found;
}

const COMPARISON = new Set(['<', '>', '<=', '>=', '=', '==', '!=', '<>']);
const ORDERING = new Set(['<', '>', '<=', '>=']);

/** Lower-cased identifier text of a word or quoted identifier token. */
function identifier(token: SqlToken | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase())) return token.text.toLowerCase();
  if (token.kind === 'quoted-identifier') return token.text.slice(1, -1).replace(/""/g, '"').toLowerCase();
  return undefined;
}

/** A numeric operand: a number literal, optionally signed. */
function isNumberAt(tokens: readonly SqlToken[], index: number): boolean {
  const token = tokens[index];
  if (token?.kind === 'number') return true;
  return (token?.text === '-' || token?.text === '+') && tokens[index + 1]?.kind === 'number';
}

/**
 * The places where `sql` compares one of `columns` with a number (`<`, `>`, `<=`, `>=`, `=`, `!=`,
 * `BETWEEN`), orders by it, or takes its MAX/MIN, with no cast: a column reference inside
 * `CAST(... AS ...)` or followed by `+ 0` / `* 1` is not a trap, and `=`/`!=` only count against a
 * number literal (equality on text that holds numbers is the one comparison SQLite's affinity makes
 * work, so only orderings count for columns compared to a string). Columns resolve through `t.c`,
 * aliases (`T1.c`) and bare names unique among the tables the query reads. Lexical, so it never fails.
 */
export function findTypeTraps(sql: string, columns: readonly TextNumberColumn[]): TypeTrap[] {
  if (columns.length === 0) return [];
  const tokens = tokenizeSql(sql, 4000);
  // tables read and their aliases
  const aliases = new Map<string, string>();
  const tableNames = new Set(columns.map((column) => column.table.toLowerCase()));
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.text.toLowerCase();
    if (word !== 'from' && word !== 'join' && tokens[i - 1]?.text !== ',') continue;
    const name = identifier(tokens[i + (word === 'from' || word === 'join' ? 1 : 0)]);
    if (name === undefined) continue;
    const offset = word === 'from' || word === 'join' ? 1 : 0;
    aliases.set(name, name);
    let next = i + offset + 1;
    if (tokens[next]?.text.toLowerCase() === 'as') next++;
    const alias = identifier(tokens[next]);
    if (alias !== undefined) aliases.set(alias, name);
  }
  const read = new Set([...aliases.values()]);
  const byTable = (table: string, column: string) =>
    columns.find((entry) => entry.table.toLowerCase() === table && entry.column.toLowerCase() === column);
  const resolve = (index: number): { column: TextNumberColumn; first: number; last: number } | undefined => {
    const name = identifier(tokens[index]);
    if (name === undefined) return undefined;
    if (tokens[index - 1]?.text === '.') {
      const table = aliases.get(identifier(tokens[index - 2]) ?? '') ?? identifier(tokens[index - 2]);
      const column = table === undefined ? undefined : byTable(table, name);
      return column ? { column, first: index - 2, last: index } : undefined;
    }
    if (tokens[index + 1]?.text === '.' || tokens[index + 1]?.text === '(') return undefined;
    const owners = columns.filter(
      (entry) => entry.column.toLowerCase() === name && read.has(entry.table.toLowerCase()),
    );
    if (owners.length === 1 && tableNames.has(owners[0]!.table.toLowerCase()))
      return { column: owners[0]!, first: index, last: index };
    return undefined;
  };
  const traps: TypeTrap[] = [];
  const near = (first: number, last: number) =>
    tokens
      .slice(Math.max(0, first), last + 1)
      .map((token) => token.text)
      .join(' ');
  let orderBy = false;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i]!.text.toLowerCase();
    if (text === 'order' && tokens[i + 1]?.text.toLowerCase() === 'by') orderBy = true;
    else if (['limit', 'union', 'intersect', 'except', ')', 'where', 'select'].includes(text))
      orderBy = false;
    const ref = resolve(i);
    if (!ref) continue;
    const before = tokens[ref.first - 1]?.text.toLowerCase();
    const after = tokens[ref.last + 1]?.text.toLowerCase();
    // CAST(col AS ...), col + 0, col * 1, col - 0: the value is a number
    if (before === '(' && tokens[ref.first - 2]?.text.toLowerCase() === 'cast') continue;
    if (after === '+' || after === '*' || after === '-' || after === '/') continue;
    if (before === '+' || before === '*' || before === '-' || before === '/') continue;
    const { table, column } = ref.column;
    if (after !== undefined && COMPARISON.has(after) && isNumberAt(tokens, ref.last + 2)) {
      traps.push({ table, column, kind: 'compare', near: near(ref.first, ref.last + 2) });
    } else if (before !== undefined && COMPARISON.has(before) && isNumberAt(tokens, ref.first - 2)) {
      traps.push({ table, column, kind: 'compare', near: near(ref.first - 2, ref.last) });
    } else if (
      before !== undefined &&
      COMPARISON.has(before) &&
      (tokens[ref.first - 2]?.text === ')' || identifier(tokens[ref.first - 2]) !== undefined)
    ) {
      // col > (SELECT ...) or a.col > b.col: an ordering between two values that may both be text
      if (ORDERING.has(before) && tokens[ref.first - 2]?.kind !== 'string')
        traps.push({ table, column, kind: 'compare', near: near(ref.first - 2, ref.last) });
    } else if (after !== undefined && ORDERING.has(after) && tokens[ref.last + 2]?.text === '(') {
      traps.push({ table, column, kind: 'compare', near: near(ref.first, ref.last + 2) });
    } else if (after === 'between' && isNumberAt(tokens, ref.last + 2)) {
      traps.push({ table, column, kind: 'compare', near: near(ref.first, ref.last + 2) });
    } else if (
      before === '(' &&
      after === ')' &&
      ['max', 'min'].includes(tokens[ref.first - 2]?.text.toLowerCase() ?? '')
    ) {
      traps.push({ table, column, kind: 'aggregate', near: near(ref.first - 2, ref.last + 1) });
    } else if (orderBy) {
      traps.push({ table, column, kind: 'order', near: `ORDER BY ${near(ref.first, ref.last)}` });
    }
  }
  return traps;
}

/** The one-line detail of a `type-trap` rejection or flag. */
export function describeTypeTraps(traps: readonly TypeTrap[]): string {
  return traps
    .map(
      (trap) =>
        `${trap.table}.${trap.column} is text holding numbers, ${trap.kind === 'order' ? 'ordered' : trap.kind === 'aggregate' ? 'aggregated' : 'compared'} as text (${trap.near}); cast it: CAST(${trap.column} AS REAL)`,
    )
    .join('; ');
}

const columnsByPath = new Map<string, readonly TextNumberColumn[]>();

/** {@link textNumberColumns} of a database file, read once per file and process (thread). */
export function textNumberColumnsOf(path: string): readonly TextNumberColumn[] {
  let columns = columnsByPath.get(path);
  if (!columns) {
    try {
      const db = openReadOnly(path);
      try {
        columns = textNumberColumns(db, readSqliteSchema(db));
      } finally {
        db.close();
      }
    } catch {
      // a database that cannot be read fails its candidates in the executor; no check here
      columns = [];
    }
    if (columnsByPath.size >= 64) columnsByPath.clear();
    columnsByPath.set(path, columns);
  }
  return columns;
}

/**
 * The SQL task's static check (`Task.check`): flags a program that compares, orders or aggregates a
 * TEXT column holding numbers without a cast, reason `type-trap`.
 */
export function checkTypeTraps(
  program: string,
  environment: { readonly path?: string },
): { reason: 'type-trap'; detail: string } | undefined {
  if (environment.path === undefined) return undefined;
  const columns = textNumberColumnsOf(environment.path);
  if (columns.length === 0) return undefined;
  const lower = program.toLowerCase();
  const mentioned = columns.filter((column) => lower.includes(column.column.toLowerCase()));
  if (mentioned.length === 0) return undefined;
  const traps = findTypeTraps(program, mentioned);
  return traps.length === 0 ? undefined : { reason: 'type-trap', detail: describeTypeTraps(traps) };
}

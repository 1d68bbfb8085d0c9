import type { ExecutionResult, ResultCheck } from '../../spec.js';
import { openReadOnly, quoteIdentifier, readSqliteSchema, type SqlTable } from '../schema.js';
import { type SqlToken, tokenizeSql } from '../tokenize.js';

/**
 * Cheap execution checks of a SQL result group (issue 17), each a probe statement run on the same
 * database and a test of its result:
 *
 * - `limit-tie`: `ORDER BY ... LIMIT n` whose cut falls in a tie: the n-th and (n+1)-th rows have
 *   equal ORDER BY values (probe: the select list plus the ORDER BY expressions, 2 rows at the cut), so
 *   the rows kept are an arbitrary pick among equals ("which state borders the most states?").
 * - `duplicate-rows`: a list of entities (every previewed value text, no aggregate, no GROUP BY,
 *   no DISTINCT) that holds the same row more than once ("the longest river": missouri, 7 times),
 *   unless the repeats are not one entity repeated (with the database's schema, `environment`):
 *   - the list is ordered by something it does not show (`ORDER BY latitude`): a list of rows, in
 *     an order, where a name may come back;
 *   - the list shows the name column of its table (`city.city_name`, `songs.name`) and the
 *     repeated rows differ in that table's key (its declared primary key or, with none, its numeric
 *     columns: two springfields with their own populations are two cities; missouri with one length
 *     in seven rows is one river);
 * - `count-not-distinct`: a single `COUNT(x)` that differs from `COUNT(DISTINCT x)` (149 river rows,
 *   46 rivers), unless `x` is the name column of its table and the rows counted differ in its key
 *   (386 cities, fewer city names: springfield is several cities).
 *
 * A check that cannot be built for a program (no top-level LIMIT, a compound select, ...) is left out.
 */
export function sqlResultChecks(program: string, environment?: { readonly path?: string }): ResultCheck[] {
  const source = program.trim().replace(/;+\s*$/, '');
  const shape = topLevel(source);
  if (!shape) return [];
  const tables = environment?.path === undefined ? undefined : tablesOf(environment.path);
  const checks: ResultCheck[] = [];
  const tie = limitTieProbe(source, shape);
  if (tie) checks.push(tie);
  if (!shape.grouped && !shape.distinct && !shape.aggregated) {
    const duplicates = duplicateProbe(source, shape, tables);
    if (duplicates) checks.push(duplicates);
  }
  const count = countProbe(source, shape, tables);
  if (count) checks.push(count);
  return checks;
}

const schemas = new Map<string, ReadonlyMap<string, SqlTable> | undefined>();

/** The tables of a database by lower-cased name, read once per path; undefined when unreadable. */
function tablesOf(path: string): ReadonlyMap<string, SqlTable> | undefined {
  if (!schemas.has(path)) {
    let tables: Map<string, SqlTable> | undefined;
    try {
      const db = openReadOnly(path);
      try {
        tables = new Map(readSqliteSchema(db).tables.map((table) => [table.name.toLowerCase(), table]));
      } finally {
        db.close();
      }
    } catch {
      tables = undefined; // a database that cannot be read fails its candidates in the executor
    }
    schemas.set(path, tables);
  }
  return schemas.get(path);
}

function duplicateProbe(
  source: string,
  shape: TopLevel,
  tables: ReadonlyMap<string, SqlTable> | undefined,
): ResultCheck | undefined {
  const checkOf = (probe: string, keyed: boolean): Pick<ResultCheck, 'probe' | 'flawed'> => ({
    probe,
    flawed: (result, original) => {
      const rows = previewRows(result);
      const repeats = Number(rows[0]?.[0] ?? 0);
      const detail = Number(rows[0]?.[1] ?? 0);
      if (result.status !== 'ok' || !(repeats > 0)) return false;
      if ((original.size ?? 0) <= 1) return false;
      if (!previewRows(original).every((row) => row.every((cell) => typeof cell === 'string'))) return false;
      // keyed: only the same entity (an equal key) repeated is a flaw
      return keyed ? detail > 0 : true;
    },
  });
  const count = (query: string) => `(SELECT count(*) FROM (${query}))`;
  const distinct = (query: string) => `(SELECT count(*) FROM (SELECT DISTINCT * FROM (${query})))`;
  const plain = `SELECT ${count(source)} - ${distinct(source)}`;
  const entity = tables ? entityOf(source, shape, tables) : undefined;
  if (entity === 'ordered') return undefined;
  if (!entity) return { name: 'duplicate-rows', ...checkOf(plain, false) };
  const head = source.slice(0, shape.tokens[shape.from]!.start).trimEnd();
  const tail = source.slice(shape.tokens[shape.from]!.start);
  const widened = `${head}, ${entity.columns.join(', ')} ${tail}`;
  const probe = `SELECT ${count(source)} - ${distinct(source)}, ${count(widened)} - ${distinct(widened)}`;
  return { name: 'duplicate-rows', ...checkOf(probe, true) };
}

/**
 * What tells the rows of a list apart: `ordered` (ORDER BY an expression the list does not show),
 * `key` columns (the list shows name columns of one table: its primary key, or its numeric columns),
 * `copies` (the list's tables' whole rows), or undefined (a column not traced to a table).
 */
function entityOf(
  source: string,
  shape: TopLevel,
  tables: ReadonlyMap<string, SqlTable>,
): 'ordered' | { columns: string[] } | undefined {
  const { tokens } = shape;
  const items = splitTopLevel(tokens, shape.listStart, shape.from).map((range) =>
    text(source, tokens, range),
  );
  const columns = items.map((item) => columnRef(item));
  if (columns.some((column) => column === undefined)) return undefined;
  if (shape.orderBy !== undefined) {
    const end = shape.limit ?? tokens.length;
    const shown = new Set(items.map((item) => item.toLowerCase().replace(/\s+/g, '')));
    const bare = new Set(columns.map((column) => column!.column.toLowerCase()));
    const orders = splitTopLevel(tokens, shape.orderBy + 2, end).map((range) => {
      let [start, stop] = range;
      while (stop > start && (is(tokens[stop - 1], 'asc') || is(tokens[stop - 1], 'desc'))) stop--;
      return text(source, tokens, [start, stop]).toLowerCase().replace(/\s+/g, '');
    });
    if (orders.some((order) => !shown.has(order) && !bare.has(order.split('.').pop()!.replaceAll('"', ''))))
      return 'ordered';
  }
  const aliases = fromAliases(tokens, shape);
  if (!aliases) return undefined;
  const resolved: { qualifier: string; table: SqlTable; column: string }[] = [];
  for (const column of columns) {
    const qualifier = column!.qualifier ?? (aliases.size === 1 ? [...aliases.keys()][0]! : undefined);
    const table =
      qualifier === undefined ? undefined : tables.get(aliases.get(qualifier.toLowerCase()) ?? '');
    if (!table || qualifier === undefined) return undefined;
    resolved.push({ qualifier, table, column: column!.column });
  }
  const names = resolved.filter(({ table, column }) => isNameColumn(table, column));
  if (
    names.length === resolved.length &&
    new Set(resolved.map((entry) => entry.qualifier.toLowerCase())).size === 1
  ) {
    const { qualifier, table } = resolved[0]!;
    const shownColumns = new Set(resolved.map((entry) => entry.column.toLowerCase()));
    const keys = keyColumns(table).filter((column) => !shownColumns.has(column.toLowerCase()));
    if (keys.length > 0)
      return { columns: keys.map((column) => `${quoteIdentifier(qualifier)}.${quoteIdentifier(column)}`) };
  }
  return undefined;
}

/** What tells a table's entities apart: its declared primary key, or with none its numeric columns. */
function keyColumns(table: SqlTable): string[] {
  const primary = table.columns.filter((column) => column.primaryKey > 0);
  return (
    primary.length > 0
      ? primary
      : table.columns.filter((column) => /INT|REAL|FLOA|DOUB|NUM|DEC/i.test(column.type))
  ).map((column) => column.name);
}

/** A plain column reference `q.col` or `col` (quotes dropped), or undefined for anything else. */
function columnRef(item: string): { qualifier?: string; column: string } | undefined {
  const tokens = tokenizeSql(item);
  const name = (token: SqlToken | undefined) =>
    token === undefined
      ? undefined
      : token.kind === 'word'
        ? token.text
        : token.kind === 'quoted-identifier'
          ? token.text.slice(1, -1)
          : undefined;
  if (tokens.length === 1) {
    const column = name(tokens[0]);
    return column === undefined ? undefined : { column };
  }
  if (tokens.length === 3 && tokens[1]!.text === '.') {
    const qualifier = name(tokens[0]);
    const column = name(tokens[2]);
    return qualifier === undefined || column === undefined ? undefined : { qualifier, column };
  }
  return undefined;
}

/**
 * The name column of a table: `name`, `<table>_name`, `<table>name` or `<table>` (case ignored, a
 * plural table's `s` dropped), and no foreign key (`items.item` names a good, not an item row).
 */
function isNameColumn(table: SqlTable, column: string): boolean {
  const c = column.toLowerCase();
  if (table.foreignKeys.some((key) => key.column.toLowerCase() === c)) return false;
  const full = table.name.toLowerCase();
  return [full, full.replace(/s$/, '')].some(
    (t) => c === 'name' || c === `${t}_name` || c === `${t}name` || c === t,
  );
}

const FROM_STOP = new Set(['where', 'group', 'order', 'limit', 'having', 'window']);
const JOIN_WORDS = new Set([
  'join',
  'inner',
  'left',
  'right',
  'full',
  'outer',
  'cross',
  'natural',
  'on',
  'using',
]);

/** Aliases (lower-cased) of the top-level FROM clause to their table (lower-cased); undefined for a subquery there. */
function fromAliases(tokens: readonly SqlToken[], shape: TopLevel): Map<string, string> | undefined {
  const aliases = new Map<string, string>();
  let depth = 0;
  let expectTable = true;
  for (let index = shape.from + 1; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.text === '(') {
      if (expectTable) return undefined;
      depth++;
      continue;
    }
    if (token.text === ')') {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    const word = token.kind === 'word' ? token.text.toLowerCase() : undefined;
    if (word !== undefined && FROM_STOP.has(word)) break;
    if (token.text === ',' || word === 'join') {
      expectTable = true;
      continue;
    }
    if (expectTable && (token.kind === 'word' || token.kind === 'quoted-identifier')) {
      if (word !== undefined && JOIN_WORDS.has(word)) continue;
      const table = (token.kind === 'quoted-identifier' ? token.text.slice(1, -1) : token.text).toLowerCase();
      let alias = table;
      let next = tokens[index + 1];
      if (is(next, 'as')) {
        index++;
        next = tokens[index + 1];
      }
      if (next && (next.kind === 'word' || next.kind === 'quoted-identifier')) {
        const lower = next.text.toLowerCase();
        if (next.kind === 'quoted-identifier' || (!JOIN_WORDS.has(lower) && !FROM_STOP.has(lower))) {
          alias = (next.kind === 'quoted-identifier' ? next.text.slice(1, -1) : next.text).toLowerCase();
          index++;
        }
      }
      aliases.set(alias, table);
      if (alias !== table && !aliases.has(table)) aliases.set(table, table);
      expectTable = false;
    }
  }
  return aliases.size > 0 ? aliases : undefined;
}

interface TopLevel {
  readonly tokens: readonly SqlToken[];
  /** Token index of the first token of the select list (after DISTINCT). */
  readonly listStart: number;
  /** Token index of the top-level FROM. */
  readonly from: number;
  readonly orderBy?: number; // index of ORDER
  readonly limit?: number; // index of LIMIT
  readonly distinct: boolean;
  readonly grouped: boolean;
  readonly aggregated: boolean;
}

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'group_concat', 'total']);

function topLevel(source: string): TopLevel | undefined {
  const tokens = tokenizeSql(source, 5000);
  if (tokens.length === 0 || !is(tokens[0], 'select')) return undefined;
  let depth = 0;
  let from: number | undefined;
  let orderBy: number | undefined;
  let limit: number | undefined;
  let grouped = false;
  let aggregated = false;
  const distinct = is(tokens[1], 'distinct');
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    else if (depth === 0 && token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'union' || word === 'intersect' || word === 'except') return undefined;
      if (word === 'from' && from === undefined) from = index;
      else if (word === 'group' && is(tokens[index + 1], 'by')) grouped = true;
      else if (word === 'order' && is(tokens[index + 1], 'by')) orderBy = index;
      else if (word === 'limit') limit = index;
      else if (from === undefined && AGGREGATES.has(word) && tokens[index + 1]?.text === '(')
        aggregated = true;
    }
  }
  if (from === undefined || depth !== 0) return undefined;
  return {
    tokens,
    listStart: distinct ? 2 : 1,
    from,
    ...(orderBy === undefined ? {} : { orderBy }),
    ...(limit === undefined ? {} : { limit }),
    distinct,
    grouped,
    aggregated,
  };
}

function limitTieProbe(source: string, shape: TopLevel): ResultCheck | undefined {
  const { tokens, orderBy, limit } = shape;
  if (orderBy === undefined || limit === undefined || limit < orderBy) return undefined;
  const count = tokens[limit + 1];
  if (count?.kind !== 'number') return undefined;
  let offset = 0;
  const after = tokens[limit + 2];
  if (after !== undefined) {
    if (!is(after, 'offset') || tokens[limit + 3]?.kind !== 'number' || tokens.length !== limit + 4)
      return undefined;
    offset = Number(tokens[limit + 3]!.text);
  }
  const n = Number(count.text);
  if (!Number.isInteger(n) || n < 1) return undefined;
  const items = splitTopLevel(tokens, shape.listStart, shape.from).map((range) =>
    text(source, tokens, range),
  );
  const aliases = new Map<string, string>();
  for (const item of items) {
    const alias = aliasOf(item);
    if (alias) aliases.set(alias.name.toLowerCase(), alias.expression);
  }
  const orders = splitTopLevel(tokens, orderBy + 2, limit).map((range) => {
    let [start, end] = range;
    // drop ASC, DESC, NULLS FIRST/LAST and COLLATE x at the end
    for (;;) {
      const last = tokens[end - 1];
      if (is(last, 'asc') || is(last, 'desc') || is(last, 'first') || is(last, 'last') || is(last, 'nulls'))
        end--;
      else if (is(tokens[end - 2], 'collate')) end -= 2;
      else break;
    }
    if (end - start === 1 && tokens[start]!.kind === 'number') {
      const ordinal = items[Number(tokens[start]!.text) - 1];
      return ordinal === undefined ? undefined : stripAlias(ordinal);
    }
    const order = text(source, tokens, [start, end]);
    // an alias of the select list stands for its expression (an alias cannot be used beside it)
    return aliases.get(order.toLowerCase()) ?? order;
  });
  if (orders.some((order) => order === undefined) || orders.length === 0) return undefined;
  const head = source.slice(0, tokens[shape.from]!.start).trimEnd();
  const middle = source.slice(tokens[shape.from]!.start, tokens[limit]!.start).trimEnd();
  const probe = `${head}, ${orders.join(', ')} ${middle} LIMIT 2 OFFSET ${n - 1 + offset}`;
  const keys = orders.length;
  return {
    name: 'limit-tie',
    probe,
    flawed: (result) => {
      const rows = previewRows(result);
      if (result.status !== 'ok' || rows.length !== 2) return false;
      // A tie on the ORDER BY values between rows that differ: which one is kept is arbitrary.
      const same = (from: number, to?: number) =>
        JSON.stringify(rows[0]!.slice(from, to)) === JSON.stringify(rows[1]!.slice(from, to));
      return same(-keys) && !same(0, -keys);
    },
  };
}

function countProbe(
  source: string,
  shape: TopLevel,
  tables?: ReadonlyMap<string, SqlTable>,
): ResultCheck | undefined {
  const { tokens } = shape;
  const items = splitTopLevel(tokens, shape.listStart, shape.from);
  if (items.length !== 1 || shape.grouped) return undefined;
  const [start, end] = items[0]!;
  if (!is(tokens[start], 'count') || tokens[start + 1]?.text !== '(') return undefined;
  let depth = 0;
  let close = -1;
  for (let index = start + 1; index < end; index++) {
    if (tokens[index]!.text === '(') depth++;
    else if (tokens[index]!.text === ')' && --depth === 0) {
      close = index;
      break;
    }
  }
  const rest = end - close - 1;
  if (close < 0 || !(rest === 0 || rest === 1 || (rest === 2 && is(tokens[close + 1], 'as'))))
    return undefined;
  const inner = tokens[start + 2];
  if (inner === undefined || inner.text === '*' || is(inner, 'distinct')) return undefined;
  const probe = `${source.slice(0, inner.start)}DISTINCT ${source.slice(inner.start)}`;
  const plain: ResultCheck = {
    name: 'count-not-distinct',
    probe,
    flawed: (result, original) => result.status === 'ok' && result.key !== original.key,
  };
  // COUNT(name) of a table's name column: count the distinct (name, key) rows instead; the rows
  // counted are distinct entities when that equals COUNT(name).
  const aliases = tables ? fromAliases(tokens, shape) : undefined;
  const innerEnd = close - 1;
  if (!tables || !aliases || innerEnd < start + 2) return plain;
  const column = columnRef(text(source, tokens, [start + 2, close]));
  const qualifier = column?.qualifier ?? (aliases.size === 1 ? [...aliases.keys()][0]! : undefined);
  const table = qualifier === undefined ? undefined : tables.get(aliases.get(qualifier.toLowerCase()) ?? '');
  if (!column || !table || qualifier === undefined || !isNameColumn(table, column.column)) return plain;
  const keys = keyColumns(table).filter((name) => name.toLowerCase() !== column.column.toLowerCase());
  if (keys.length === 0) return plain;
  const counted = text(source, tokens, [start + 2, close]);
  const keyList = keys.map((name) => `${quoteIdentifier(qualifier)}.${quoteIdentifier(name)}`).join(', ');
  const fromOn = source.slice(tokens[shape.from]!.start);
  return {
    name: 'count-not-distinct',
    probe: `SELECT count(*) FROM (SELECT DISTINCT ${counted} AS counted_value, ${keyList} ${fromOn}) WHERE counted_value IS NOT NULL`,
    flawed: (result, original) => {
      const entities = previewRows(result)[0]?.[0];
      const rows = previewRows(original)[0]?.[0];
      return (
        result.status === 'ok' && typeof entities === 'number' && typeof rows === 'number' && entities < rows
      );
    },
  };
}

/** Token ranges [start, end) between `from` and `to`, split at top-level commas. */
function splitTopLevel(tokens: readonly SqlToken[], from: number, to: number): [number, number][] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let index = from; index < to; index++) {
    const token = tokens[index]!;
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    else if (token.text === ',' && depth === 0) {
      ranges.push([start, index]);
      start = index + 1;
    }
  }
  if (to > start) ranges.push([start, to]);
  return ranges;
}

function text(source: string, tokens: readonly SqlToken[], [start, end]: [number, number]): string {
  const last = tokens[end - 1]!;
  return source.slice(tokens[start]!.start, last.start + last.text.length);
}

function aliasOf(item: string): { name: string; expression: string } | undefined {
  const tokens = tokenizeSql(item);
  const as = tokens.findIndex((token, index) => index > 0 && is(token, 'as'));
  const name = tokens[as + 1];
  if (as <= 0 || !name || as + 2 !== tokens.length) return undefined;
  const bare =
    name.kind === 'quoted-identifier' || name.kind === 'string' ? name.text.slice(1, -1) : name.text;
  return { name: bare, expression: item.slice(0, tokens[as]!.start).trim() };
}

function stripAlias(item: string): string {
  const tokens = tokenizeSql(item);
  const as = tokens.findIndex((token, index) => index > 0 && is(token, 'as'));
  return as > 0 ? item.slice(0, tokens[as]!.start).trim() : item;
}

function is(token: SqlToken | undefined, word: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text.toLowerCase() === word;
}

function previewRows(result: ExecutionResult): unknown[][] {
  return Array.isArray(result.preview) ? (result.preview as unknown[][]) : [];
}

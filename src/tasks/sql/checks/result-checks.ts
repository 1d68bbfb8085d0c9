import type { ExecutionResult, ResultCheck } from '../../spec.js';
import { type SqlToken, tokenizeSql } from '../tokenize.js';

/**
 * Cheap execution checks of a SQL result group (issue 17), each a probe statement run on the same
 * database and a test of its result:
 *
 * - `limit-tie`: `ORDER BY ... LIMIT n` whose cut falls in a tie: the n-th and (n+1)-th rows have
 *   equal ORDER BY values (probe: the select list plus the ORDER BY expressions, 2 rows at the cut), so
 *   the rows kept are an arbitrary pick among equals ("which state borders the most states?").
 * - `duplicate-rows`: a list of entities (every previewed value text, no aggregate, no GROUP BY,
 *   no DISTINCT) that holds the same row more than once ("the longest river": missouri, 7 times).
 * - `count-not-distinct`: a single `COUNT(x)` that differs from `COUNT(DISTINCT x)` (149 river rows,
 *   46 rivers).
 *
 * A check that cannot be built for a program (no top-level LIMIT, a compound select, ...) is left out.
 */
export function sqlResultChecks(program: string): ResultCheck[] {
  const source = program.trim().replace(/;+\s*$/, '');
  const shape = topLevel(source);
  if (!shape) return [];
  const checks: ResultCheck[] = [];
  const tie = limitTieProbe(source, shape);
  if (tie) checks.push(tie);
  if (!shape.grouped && !shape.distinct && !shape.aggregated) {
    checks.push({
      name: 'duplicate-rows',
      probe: `SELECT (SELECT count(*) FROM (${source})) - (SELECT count(*) FROM (SELECT DISTINCT * FROM (${source})))`,
      flawed: (probe, result) =>
        firstCell(probe) > 0 &&
        (result.size ?? 0) > 1 &&
        previewRows(result).every((row) => row.every((cell) => typeof cell === 'string')),
    });
  }
  const count = countProbe(source, shape);
  if (count) checks.push(count);
  return checks;
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

function countProbe(source: string, shape: TopLevel): ResultCheck | undefined {
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
  return {
    name: 'count-not-distinct',
    probe,
    flawed: (result, original) => result.status === 'ok' && result.key !== original.key,
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

function firstCell(result: ExecutionResult): number {
  const value = previewRows(result)[0]?.[0];
  return result.status === 'ok' && typeof value === 'number' ? value : 0;
}

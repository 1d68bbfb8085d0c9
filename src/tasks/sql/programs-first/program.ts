/**
 * The sampled program as a small tree (not SQL text), so the SQL and its English question are both
 * rendered from the same structure, construct by construct.
 */
import { quoteIdentifier } from '../schema.js';

export type Aggregate = 'count' | 'sum' | 'avg' | 'min' | 'max';
export type ComparisonOp = '=' | '!=' | '>' | '<' | '>=' | '<=';
export type Value = string | number;

/** A column of one of the query's sources (by index into `sources`). */
export interface ColumnRef {
  readonly source: number;
  readonly column: string;
}

export type Expr =
  | { readonly kind: 'column'; readonly ref: ColumnRef }
  /** `ref: null` is `count(*)`. */
  | {
      readonly kind: 'aggregate';
      readonly fn: Aggregate;
      readonly ref: ColumnRef | null;
      readonly distinct?: boolean;
    };

export type Predicate =
  | { readonly kind: 'compare'; readonly ref: ColumnRef; readonly op: ComparisonOp; readonly value: Value }
  | { readonly kind: 'like'; readonly ref: ColumnRef; readonly word: string }
  | { readonly kind: 'in'; readonly ref: ColumnRef; readonly negated: boolean; readonly query: SelectQuery }
  | {
      readonly kind: 'scalar';
      readonly ref: ColumnRef;
      readonly op: ComparisonOp;
      readonly query: SelectQuery;
    }
  /** Correlated: `inner` (a column of `query`) equals `outer` (a column of the enclosing query). */
  | {
      readonly kind: 'exists';
      readonly negated: boolean;
      readonly query: SelectQuery;
      readonly inner: ColumnRef;
      readonly outer: ColumnRef;
    };

/** `sources[i]` (i >= 1) joins an earlier source along `joins[i - 1]`. */
export interface Join {
  /** Column of an earlier source. */
  readonly left: ColumnRef;
  /** Column of the new source. */
  readonly right: ColumnRef;
}

export interface SelectQuery {
  readonly kind: 'select';
  readonly sources: readonly string[];
  readonly joins: readonly Join[];
  readonly distinct: boolean;
  readonly select: readonly Expr[];
  readonly where?: { readonly connector: 'and' | 'or'; readonly predicates: readonly Predicate[] };
  readonly groupBy?: readonly ColumnRef[];
  readonly having?: { readonly expr: Expr; readonly op: ComparisonOp; readonly value: number };
  readonly orderBy?: {
    readonly expr: Expr;
    readonly direction: 'asc' | 'desc';
    /** The key is text: the question says alphabetical order, not highest and lowest. */
    readonly alphabetical?: boolean;
  };
  readonly limit?: number;
}

export interface SetQuery {
  readonly kind: 'set';
  readonly op: 'union' | 'intersect' | 'except';
  readonly left: SelectQuery;
  readonly right: SelectQuery;
}

export type Program = SelectQuery | SetQuery;

const RESERVED = new Set(
  (
    'abort action add after all alter analyze and as asc attach autoincrement before begin between by case cast check ' +
    'collate column commit conflict constraint create cross current current_date current_time current_timestamp ' +
    'database default deferrable deferred delete desc detach distinct do drop each else end escape except exclusive ' +
    'exists explain fail filter for foreign from full glob group groups having if ignore immediate in index indexed ' +
    'initially inner insert instead intersect into is isnull join key left like limit match natural no not nothing ' +
    'notnull null of offset on or order outer over partition plan pragma primary query raise range recursive ' +
    'references regexp reindex release rename replace restrict right rollback row rows savepoint select set table ' +
    'temp temporary then to transaction trigger union unique update using vacuum values view virtual when where ' +
    'window with without year month day date time user'
  ).split(' '),
);

/** An identifier as written in the program: bare when it is a plain word, else double-quoted. */
export function identifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase())
    ? name
    : quoteIdentifier(name);
}

/** A literal: numbers as written, text single-quoted with inner quotes doubled. */
export function literal(value: Value): string {
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

interface RenderScope {
  aliases: string[] | null;
  outer?: RenderScope;
}

/** Render a program as SQLite SQL (Spider's style: `T1`, `T2` aliases when a query reads several tables). */
export function renderSql(program: Program): string {
  const counter = { next: 1 };
  if (program.kind === 'set')
    return `${renderSelect(program.left, counter)} ${program.op.toUpperCase()} ${renderSelect(program.right, counter)}`;
  return renderSelect(program, counter);
}

function needsAliases(query: SelectQuery): boolean {
  return (
    query.sources.length > 1 ||
    (query.where?.predicates.some((predicate) => predicate.kind === 'exists') ?? false)
  );
}

function renderSelect(
  query: SelectQuery,
  counter: { next: number },
  outer?: RenderScope,
  correlation?: { inner: ColumnRef; outer: ColumnRef },
): string {
  const aliased = needsAliases(query) || correlation !== undefined;
  const scope: RenderScope = {
    aliases: aliased ? query.sources.map(() => `T${counter.next++}`) : null,
    ...(outer ? { outer } : {}),
  };
  const column = (ref: ColumnRef, from: RenderScope = scope) =>
    from.aliases ? `${from.aliases[ref.source]}.${identifier(ref.column)}` : identifier(ref.column);
  const expr = (item: Expr): string => {
    if (item.kind === 'column') return column(item.ref);
    if (item.ref === null) return `${item.fn}(*)`;
    return `${item.fn}(${item.distinct ? 'DISTINCT ' : ''}${column(item.ref)})`;
  };
  const source = (index: number) => {
    const name = identifier(query.sources[index]!);
    return scope.aliases ? `${name} AS ${scope.aliases[index]}` : name;
  };
  let sql = `SELECT ${query.distinct ? 'DISTINCT ' : ''}${query.select.map(expr).join(', ')} FROM ${source(0)}`;
  query.joins.forEach((join, index) => {
    sql += ` JOIN ${source(index + 1)} ON ${column(join.left)} = ${column(join.right)}`;
  });
  const predicates = (query.where?.predicates ?? []).map((predicate) =>
    renderPredicate(predicate, column, scope, counter),
  );
  if (correlation) predicates.unshift(`${column(correlation.inner)} = ${column(correlation.outer, outer!)}`);
  if (predicates.length > 0) {
    const connector = correlation || !query.where ? ' AND ' : ` ${query.where.connector.toUpperCase()} `;
    // A correlation joined to an OR would change its meaning: keep the ORs together.
    const own =
      query.where && query.where.predicates.length > 1 && query.where.connector === 'or' && correlation;
    sql += ` WHERE ${own ? `${predicates[0]} AND (${predicates.slice(1).join(' OR ')})` : predicates.join(connector)}`;
  }
  if (query.groupBy && query.groupBy.length > 0)
    sql += ` GROUP BY ${query.groupBy.map((ref) => column(ref)).join(', ')}`;
  if (query.having)
    sql += ` HAVING ${expr(query.having.expr)} ${query.having.op} ${literal(query.having.value)}`;
  if (query.orderBy) sql += ` ORDER BY ${expr(query.orderBy.expr)} ${query.orderBy.direction.toUpperCase()}`;
  if (query.limit !== undefined) sql += ` LIMIT ${query.limit}`;
  return sql;
}

function renderPredicate(
  predicate: Predicate,
  column: (ref: ColumnRef) => string,
  scope: RenderScope,
  counter: { next: number },
): string {
  switch (predicate.kind) {
    case 'compare':
      return `${column(predicate.ref)} ${predicate.op} ${literal(predicate.value)}`;
    case 'like':
      return `${column(predicate.ref)} LIKE ${literal(`%${predicate.word}%`)}`;
    case 'in':
      return `${column(predicate.ref)} ${predicate.negated ? 'NOT IN' : 'IN'} (${renderSelect(predicate.query, counter, scope)})`;
    case 'scalar':
      return `${column(predicate.ref)} ${predicate.op} (${renderSelect(predicate.query, counter, scope)})`;
    case 'exists':
      return `${predicate.negated ? 'NOT EXISTS' : 'EXISTS'} (${renderSelect(
        predicate.query,
        counter,
        scope,
        {
          inner: predicate.inner,
          outer: predicate.outer,
        },
      )})`;
  }
}

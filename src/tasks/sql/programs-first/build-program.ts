import type { Random } from '../../../random.js';
import type { SqlCondition } from '../conditions/condition.js';
import type { Hardness } from '../hardness.js';
import type { JoinEdge } from './join-inference.js';
import type { ColumnProfile, DatabaseProfile, TableProfile } from './profile.js';
import type {
  Aggregate,
  ColumnRef,
  ComparisonOp,
  Expr,
  Join,
  Predicate,
  Program,
  SelectQuery,
  SetQuery,
} from './program.js';

/** Which constructs one draw uses; chosen from the condition, then built. */
interface Plan {
  join: 0 | 1 | 2;
  predicates: number;
  or: boolean;
  like: boolean;
  nested: 'none' | 'in' | 'not-in' | 'scalar' | 'exists' | 'not-exists';
  aggregate: boolean;
  groupBy: boolean;
  having: boolean;
  orderBy: boolean;
  limit: boolean;
  distinct: boolean;
  twoColumns: boolean;
  setOp: 'none' | 'union' | 'intersect' | 'except';
}

/** Chance of each construct per target level; the generator retries until the hardness matches. */
const CHANCES: Record<Hardness, Record<string, number>> = {
  easy: {
    join: 0,
    where: 0.45,
    second: 0,
    or: 0,
    like: 0,
    nested: 0,
    aggregate: 0.35,
    groupBy: 0.12,
    having: 0.6,
    orderBy: 0.2,
    limit: 0,
    distinct: 0.1,
    two: 0,
    setOp: 0,
  },
  medium: {
    join: 0.35,
    where: 0.6,
    second: 0.3,
    or: 0.3,
    like: 0.12,
    nested: 0,
    aggregate: 0.35,
    groupBy: 0.4,
    having: 0.25,
    orderBy: 0.35,
    limit: 0.6,
    distinct: 0.12,
    two: 0.35,
    setOp: 0,
  },
  hard: {
    join: 0.35,
    where: 0.5,
    second: 0.3,
    or: 0.2,
    like: 0.08,
    nested: 0.55,
    aggregate: 0.3,
    groupBy: 0.4,
    having: 0.3,
    orderBy: 0.4,
    limit: 0.6,
    distinct: 0.1,
    two: 0.3,
    setOp: 0.06,
  },
  extra: {
    join: 0.5,
    where: 0.7,
    second: 0.5,
    or: 0.2,
    like: 0.1,
    nested: 0.55,
    aggregate: 0.4,
    groupBy: 0.4,
    having: 0.3,
    orderBy: 0.45,
    limit: 0.6,
    distinct: 0.1,
    two: 0.45,
    setOp: 0.06,
  },
};

function planFor(condition: SqlCondition, random: Random): Plan {
  const chance = CHANCES[condition.hardness];
  const wants = new Set(condition.clauses);
  const p = (key: string, clause?: string) =>
    (clause && wants.has(clause)) || random.chance(chance[key] ?? 0);
  const where = p('where', 'where');
  const like = where && p('like', 'like');
  const groupBy = p('groupBy', 'group-by') || wants.has('having');
  const orderBy = p('orderBy', 'order-by') || wants.has('limit');
  const setOps = (['union', 'intersect', 'except'] as const).filter((op) => wants.has(op));
  const setOp =
    setOps[0] ??
    (random.chance(chance.setOp ?? 0) ? random.pick(['union', 'intersect', 'except'] as const) : 'none');
  const nestedWanted = wants.has('subquery') || random.chance(chance.nested ?? 0);
  const join = p('join', 'join') ? (condition.hardness === 'extra' && random.chance(0.3) ? 2 : 1) : 0;
  return {
    join,
    predicates: where
      ? 1 +
        (random.chance(chance.second ?? 0) ? 1 : 0) +
        (condition.hardness === 'extra' && random.chance(0.2) ? 1 : 0)
      : 0,
    or: random.chance(chance.or ?? 0),
    like,
    nested:
      nestedWanted && setOp === 'none'
        ? random.pick(['in', 'in', 'not-in', 'scalar', 'scalar', 'exists', 'not-exists'] as const)
        : 'none',
    aggregate: p('aggregate', 'aggregate'),
    groupBy,
    having: groupBy && p('having', 'having'),
    orderBy,
    limit: orderBy && p('limit', 'limit'),
    distinct: p('distinct', 'distinct'),
    twoColumns: random.chance(chance.two ?? 0),
    setOp,
  };
}

/** Columns of a query's sources with their roles, for drawing. */
interface Scope {
  readonly tables: readonly TableProfile[];
}

interface ScopedColumn {
  readonly ref: ColumnRef;
  readonly column: ColumnProfile;
  readonly table: TableProfile;
}

function columnsOf(scope: Scope, roles: readonly string[]): ScopedColumn[] {
  return scope.tables.flatMap((table, source) =>
    table.columns
      .filter((column) => roles.includes(column.role))
      .map((column) => ({ ref: { source, column: column.name }, column, table })),
  );
}

/**
 * Draw one program for a condition, or `null` when this database cannot give one of that shape
 * (e.g. a join on a database without join keys). The caller executes it and checks its hardness.
 */
export function buildProgram(
  profile: DatabaseProfile,
  condition: SqlCondition,
  random: Random,
): Program | null {
  if (profile.tables.length === 0) return null;
  const plan = planFor(condition, random);
  const base =
    profile.tables.find((table) => table.name === condition.tables[0]) ?? random.pick(profile.tables);
  if (plan.setOp !== 'none') return buildSetQuery(profile, base, plan, random);
  const { tables, joins } = joinPath(profile, base, plan.join, condition.tables[1], random);
  if (plan.join > 0 && tables.length === 1 && condition.clauses.includes('join')) return null;
  return buildSelect(profile, { tables }, joins, plan, random);
}

function joinPath(
  profile: DatabaseProfile,
  base: TableProfile,
  hops: number,
  preferred: string | undefined,
  random: Random,
): { tables: TableProfile[]; joins: Join[] } {
  const tables = [base];
  const joins: Join[] = [];
  for (let hop = 0; hop < hops; hop++) {
    const options: { join: Join; table: TableProfile }[] = [];
    tables.forEach((table, source) => {
      for (const edge of profile.joins) {
        const forward = edge.from === table.name;
        const backward = edge.to === table.name;
        if (!forward && !backward) continue;
        const otherName = forward ? edge.to : edge.from;
        if (tables.some((existing) => existing.name === otherName)) continue;
        const other = profile.tables.find((candidate) => candidate.name === otherName);
        if (!other) continue;
        const ownColumn = forward ? edge.fromColumn : edge.toColumn;
        const otherColumn = forward ? edge.toColumn : edge.fromColumn;
        options.push({
          table: other,
          join: {
            left: { source, column: ownColumn },
            right: { source: tables.length, column: otherColumn },
          },
        });
      }
    });
    if (options.length === 0) break;
    const wanted = options.filter((option) => option.table.name === preferred);
    const chosen = random.pick(wanted.length > 0 && hop === 0 ? wanted : options);
    tables.push(chosen.table);
    joins.push(chosen.join);
  }
  return { tables, joins };
}

function buildSelect(
  profile: DatabaseProfile,
  scope: Scope,
  joins: Join[],
  plan: Plan,
  random: Random,
): SelectQuery | null {
  const measures = columnsOf(scope, ['measure']);
  const shown = columnsOf(scope, ['attribute', 'measure']);
  const anyColumn = shown.length > 0 ? shown : columnsOf(scope, ['key', 'attribute', 'measure']);
  if (anyColumn.length === 0) return null;

  let select: Expr[];
  let groupBy: ColumnRef[] | undefined;
  let having: SelectQuery['having'];
  let orderBy: SelectQuery['orderBy'];
  // Spider groups by attributes, by keys that repeat (a foreign key, part of a composite key), by
  // numbers with few values (a year), and in a join by the columns of the "one" side (a region's
  // name, to count its buildings), which repeat once joined even when unique in their table.
  const joined = scope.tables.length > 1;
  const groupable = columnsOf(scope, ['attribute', 'key', 'measure']).filter(
    (item) =>
      item.column.distinct >= 2 &&
      (joined || item.column.distinct < item.table.rowCount) &&
      (item.column.role !== 'measure' || item.column.distinct <= item.table.rowCount / 2),
  );
  if (plan.groupBy && groupable.length > 0) {
    const group = random.pick(groupable);
    groupBy = [group.ref];
    const aggregate = aggregateExpr(measures, random);
    select =
      plan.aggregate || plan.twoColumns || !plan.having
        ? [{ kind: 'column', ref: group.ref }, aggregate]
        : [{ kind: 'column', ref: group.ref }];
    if (plan.having) {
      const numbers = measures.filter((item) =>
        item.column.values.some((value) => typeof value === 'number'),
      );
      if (numbers.length > 0 && random.chance(0.35)) {
        // A condition on an aggregate of a measure, against a real value of that measure.
        const item = random.pick(numbers);
        const values = item.column.values.filter((value): value is number => typeof value === 'number');
        having = {
          expr: { kind: 'aggregate', fn: random.pick(['avg', 'max', 'min', 'sum'] as const), ref: item.ref },
          op: random.pick(['>', '<', '>='] as const),
          value: roundThreshold(random.pick(values)),
        };
      } else {
        having = {
          expr: { kind: 'aggregate', fn: 'count', ref: null },
          op: random.pick(['>', '>=', '<'] as const),
          value: random.pick([1, 2, 2, 3]),
        };
      }
    }
    if (plan.orderBy)
      orderBy = {
        expr: random.chance(0.6) ? { kind: 'aggregate', fn: 'count', ref: null } : aggregate,
        direction: random.chance(0.7) ? 'desc' : 'asc',
      };
  } else if (plan.aggregate) {
    const first = aggregateExpr(measures, random);
    select = [first];
    if (plan.twoColumns && first.kind === 'aggregate' && first.ref) {
      const other: Aggregate = first.fn === 'max' ? 'min' : 'max';
      select.push({ kind: 'aggregate', fn: other, ref: first.ref });
    }
  } else {
    const first = pickShown(anyColumn, random);
    select = [{ kind: 'column', ref: first.ref }];
    if (plan.twoColumns) {
      const rest = anyColumn.filter((item) => item !== first);
      if (rest.length > 0) select.push({ kind: 'column', ref: random.pick(rest).ref });
    }
    if (plan.orderBy) {
      const key = measures.length > 0 ? random.pick(measures) : random.pick(anyColumn);
      orderBy = {
        expr: { kind: 'column', ref: key.ref },
        direction: random.chance(0.6) ? 'desc' : 'asc',
        ...(key.column.numeric ? {} : { alphabetical: true }),
      };
    }
  }

  const predicates: Predicate[] = [];
  if (plan.nested !== 'none') {
    const nested = nestedPredicate(profile, scope, plan.nested, random);
    if (nested) predicates.push(nested);
  }
  for (let index = 0; index < plan.predicates; index++) {
    // A filter on a shown or grouped column mostly repeats the answer in the question: avoid it.
    const avoid = [
      ...select.flatMap((expr) => (expr.kind === 'column' ? [expr.ref] : [])),
      ...(groupBy ?? []),
    ];
    const predicate = simplePredicate(scope, plan.like && index === 0, random, avoid);
    if (predicate && !predicates.some((existing) => samePredicateColumn(existing, predicate)))
      predicates.push(predicate);
  }
  const query: SelectQuery = {
    kind: 'select',
    sources: scope.tables.map((table) => table.name),
    joins,
    // DISTINCT with ORDER BY on another column leaves the order of a value undefined.
    distinct: plan.distinct && select.length === 1 && select[0]!.kind === 'column' && !groupBy && !orderBy,
    select,
    ...(predicates.length > 0
      ? {
          where: {
            connector: plan.or && predicates.length > 1 && plan.nested === 'none' ? 'or' : 'and',
            predicates,
          },
        }
      : {}),
    ...(groupBy ? { groupBy } : {}),
    ...(having ? { having } : {}),
    ...(orderBy ? { orderBy } : {}),
    ...(orderBy && plan.limit ? { limit: random.pick([1, 1, 3, 5]) } : {}),
  };
  return query;
}

function samePredicateColumn(a: Predicate, b: Predicate): boolean {
  return 'ref' in a && 'ref' in b && a.ref.source === b.ref.source && a.ref.column === b.ref.column;
}

/** Prefer columns whose name says what the row is (`name`, `title`) for the first projection. */
function pickShown(columns: readonly ScopedColumn[], random: Random): ScopedColumn {
  const named = columns.filter((item) => /name|title/i.test(item.column.name));
  return named.length > 0 && random.chance(0.6) ? random.pick(named) : random.pick(columns);
}

function aggregateExpr(measures: readonly ScopedColumn[], random: Random): Expr {
  if (measures.length === 0 || random.chance(0.4)) return { kind: 'aggregate', fn: 'count', ref: null };
  const measure = random.pick(measures);
  return { kind: 'aggregate', fn: random.pick(['avg', 'sum', 'max', 'min'] as const), ref: measure.ref };
}

function simplePredicate(
  scope: Scope,
  like: boolean,
  random: Random,
  avoid: readonly ColumnRef[] = [],
): Predicate | null {
  const usable = columnsOf(scope, like ? ['attribute'] : ['attribute', 'measure']).filter(
    (item) => item.column.values.length > 0,
  );
  const fresh = usable.filter(
    (item) => !avoid.some((ref) => ref.source === item.ref.source && ref.column === item.ref.column),
  );
  const candidates = fresh.length > 0 ? fresh : usable;
  if (candidates.length === 0) return null;
  const item = random.pick(candidates);
  const value = random.pick(item.column.values);
  if (like && typeof value === 'string') {
    const word = likeWord(value, random);
    if (word) return { kind: 'like', ref: item.ref, word };
  }
  if (item.column.role === 'measure' && typeof value === 'number') {
    const op = random.pick(['>', '<', '>=', '<=', '='] as const satisfies readonly ComparisonOp[]);
    // A threshold reads better rounded; equality needs the stored value itself.
    const threshold = op === '=' || Number.isInteger(value) ? value : roundThreshold(value);
    return { kind: 'compare', ref: item.ref, op, value: threshold };
  }
  return { kind: 'compare', ref: item.ref, op: random.chance(0.85) ? '=' : '!=', value };
}

function roundThreshold(value: number): number {
  if (Number.isInteger(value)) return value;
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 1 ? 1 : 3;
  return Number(value.toFixed(digits));
}

function likeWord(value: string, random: Random): string | null {
  const words = value.split(/[^A-Za-z0-9]+/).filter((word) => word.length >= 3);
  if (words.length === 0) return value.length >= 2 ? value.slice(0, Math.min(4, value.length)) : null;
  return random.pick(words).toLowerCase();
}

/** A nested predicate: membership along a join key, a comparison with an aggregate, or a correlated EXISTS. */
function nestedPredicate(
  profile: DatabaseProfile,
  scope: Scope,
  kind: Exclude<Plan['nested'], 'none'>,
  random: Random,
): Predicate | null {
  const base = scope.tables[0]!;
  if (kind === 'scalar') {
    const measures = base.columns.filter((column) => column.role === 'measure');
    if (measures.length === 0) return null;
    const measure = random.pick(measures);
    const inner: SelectQuery = {
      kind: 'select',
      sources: [base.name],
      joins: [],
      distinct: false,
      select: [
        {
          kind: 'aggregate',
          fn: random.pick(['avg', 'avg', 'max', 'min'] as const),
          ref: { source: 0, column: measure.name },
        },
      ],
    };
    const op =
      (inner.select[0] as { fn: string }).fn === 'max'
        ? '<'
        : (inner.select[0] as { fn: string }).fn === 'min'
          ? '>'
          : random.pick(['>', '<'] as const);
    return { kind: 'scalar', ref: { source: 0, column: measure.name }, op, query: inner };
  }
  const edges = profile.joins.filter((edge) => edge.from === base.name || edge.to === base.name);
  if (edges.length === 0) return null;
  const edge = random.pick(edges);
  const { ownColumn, otherTable, otherColumn } = edgeSides(edge, base.name);
  const other = profile.tables.find((table) => table.name === otherTable);
  if (!other) return null;
  const innerPredicate = random.chance(kind.startsWith('not') ? 0.3 : 0.6)
    ? simplePredicate({ tables: [other] }, false, random)
    : null;
  const innerWhere = innerPredicate
    ? { where: { connector: 'and' as const, predicates: [innerPredicate] } }
    : {};
  // the other table's matching column, under the inner filter: the subquery of IN and of EXISTS
  const query = {
    kind: 'select' as const,
    sources: [other.name],
    joins: [],
    distinct: false,
    select: [{ kind: 'column' as const, ref: { source: 0, column: otherColumn } }],
    ...innerWhere,
  };
  if (kind === 'in' || kind === 'not-in') {
    return {
      kind: 'in',
      ref: { source: 0, column: ownColumn },
      negated: kind === 'not-in',
      query,
    };
  }
  return {
    kind: 'exists',
    negated: kind === 'not-exists',
    inner: { source: 0, column: otherColumn },
    outer: { source: 0, column: ownColumn },
    query,
  };
}

function edgeSides(
  edge: JoinEdge,
  table: string,
): { ownColumn: string; otherTable: string; otherColumn: string } {
  return edge.from === table
    ? { ownColumn: edge.fromColumn, otherTable: edge.to, otherColumn: edge.toColumn }
    : { ownColumn: edge.toColumn, otherTable: edge.from, otherColumn: edge.fromColumn };
}

function buildSetQuery(
  profile: DatabaseProfile,
  base: TableProfile,
  plan: Plan,
  random: Random,
): SetQuery | null {
  const op = plan.setOp as SetQuery['op'];
  const scope = { tables: [base] };
  const edges = profile.joins.filter((edge) => edge.from === base.name || edge.to === base.name);
  if (edges.length > 0 && random.chance(0.4)) {
    // Keys of one table set against the keys another table refers to (e.g. channels without programs).
    const edge = random.pick(edges);
    const { ownColumn, otherTable, otherColumn } = edgeSides(edge, base.name);
    const left = keySelect(base.name, ownColumn, simplePredicate(scope, false, random));
    const other = profile.tables.find((table) => table.name === otherTable);
    if (!other) return null;
    const right = keySelect(other.name, otherColumn, simplePredicate({ tables: [other] }, false, random));
    return { kind: 'set', op, left, right };
  }
  const shown = columnsOf(scope, ['attribute', 'measure']);
  if (shown.length === 0) return null;
  const column = pickShown(shown, random).ref.column;
  const shownRef = [{ source: 0, column }];
  const first = simplePredicate(scope, plan.like, random, shownRef);
  const second = simplePredicate(scope, false, random, shownRef);
  if (!first || !second) return null;
  const extraDrawn = plan.predicates > 1 ? simplePredicate(scope, false, random, shownRef) : null;
  const extra = extraDrawn && !samePredicateColumn(extraDrawn, first) ? extraDrawn : null;
  return {
    kind: 'set',
    op,
    left: keySelect(base.name, column, first, extra),
    right: keySelect(base.name, column, second),
  };
}

function keySelect(table: string, column: string, ...predicates: (Predicate | null)[]): SelectQuery {
  const kept = predicates.filter((predicate): predicate is Predicate => predicate !== null);
  return {
    kind: 'select',
    sources: [table],
    joins: [],
    distinct: false,
    select: [{ kind: 'column', ref: { source: 0, column } }],
    ...(kept.length > 0 ? { where: { connector: 'and' as const, predicates: kept } } : {}),
  };
}

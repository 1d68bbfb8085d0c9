/**
 * Spider's hardness levels (Yu et al. 2018, `evaluation.py`: `eval_hardness`) computed from a parsed
 * query. Spider counts, on the top-level query only:
 * - component 1: WHERE, GROUP BY, ORDER BY, LIMIT, each joined table past the first, each OR and
 *   each LIKE in the join, WHERE and HAVING conditions;
 * - component 2: nested queries: subqueries inside those conditions, and a set operation
 *   (UNION, INTERSECT, EXCEPT); we also count each CTE, which Spider's grammar lacks;
 * - others: more than one aggregate, more than one selected column, more than one WHERE condition,
 *   more than one GROUP BY column.
 */
import { type AstNode, child, isAggregateCall, isQueryNode } from './ast.js';
import type { SqlAst } from './parse.js';

export type Hardness = 'easy' | 'medium' | 'hard' | 'extra';

export const HARDNESS_LEVELS: readonly Hardness[] = ['easy', 'medium', 'hard', 'extra'];

type Node = AstNode;

/** The counts Spider's hardness is made of. */
export interface HardnessCounts {
  readonly component1: number;
  readonly component2: number;
  readonly others: number;
}

/** Spider's hardness of the first statement of a parsed SQL program. */
export function hardnessOf(ast: SqlAst): Hardness {
  return hardnessFromCounts(hardnessCounts(ast));
}

export function hardnessFromCounts({ component1, component2, others }: HardnessCounts): Hardness {
  if (component1 <= 1 && others === 0 && component2 === 0) return 'easy';
  if (
    (others <= 2 && component1 <= 1 && component2 === 0) ||
    (component1 <= 2 && others < 2 && component2 === 0)
  ) {
    return 'medium';
  }
  if (
    (others > 2 && component1 <= 2 && component2 === 0) ||
    (component1 > 2 && component1 <= 3 && others <= 2 && component2 === 0) ||
    (component1 <= 1 && others === 0 && component2 <= 1)
  ) {
    return 'hard';
  }
  return 'extra';
}

export function hardnessCounts(ast: SqlAst): HardnessCounts {
  const query = ast.query;
  let component2 = countCtes(query);
  let body = child(query, 'body');
  while (body && 'SetOperation' in body) {
    component2++;
    body = child(child(body, 'SetOperation'), 'left');
  }
  while (body && 'Query' in body) body = child(child(body, 'Query'), 'body');
  const select = child(body, 'Select');
  if (!select) return { component1: 0, component2, others: 0 };

  const from = (select.from as Node[] | undefined) ?? [];
  const joinConditions = from.flatMap((item) =>
    ((item.joins as Node[] | undefined) ?? []).map(joinCondition),
  );
  const where = select.selection as Node | undefined;
  const having = select.having as Node | undefined;
  const conditions = [...joinConditions, where, having].filter((node): node is Node => node != null);
  const leaves: Node[] = [];
  let ors = 0;
  for (const condition of conditions) ors += flattenConditions(condition, leaves);
  const whereLeaves: Node[] = [];
  if (where) flattenConditions(where, whereLeaves);

  const groupBy = groupByExpressions(select);
  const tables = from.reduce(
    (sum, item) => sum + 1 + ((item.joins as unknown[] | undefined)?.length ?? 0),
    0,
  );
  const likes = leaves.filter((leaf) => 'Like' in leaf || 'ILike' in leaf).length;
  const component1 =
    (where ? 1 : 0) +
    (groupBy.length > 0 ? 1 : 0) +
    (query.order_by ? 1 : 0) +
    (query.limit_clause ? 1 : 0) +
    Math.max(0, tables - 1) +
    ors +
    likes;
  component2 += leaves.reduce((sum, leaf) => sum + directSubqueries(leaf), 0);

  const projection = (select.projection as Node[] | undefined) ?? [];
  const orderBy = query.order_by ?? null;
  const aggregates = countAggregates([projection, whereLeaves, groupBy, orderBy, having ?? null]);
  const others =
    (aggregates > 1 ? 1 : 0) +
    (projection.length > 1 ? 1 : 0) +
    (whereLeaves.length > 1 ? 1 : 0) +
    (groupBy.length > 1 ? 1 : 0);
  return { component1, component2, others };
}

function countCtes(query: Node): number {
  const tables = child(query, 'with')?.cte_tables;
  return Array.isArray(tables) ? tables.length : 0;
}

function joinCondition(join: Node): Node | undefined {
  const operator = child(join, 'join_operator');
  if (!operator) return undefined;
  for (const value of Object.values(operator)) {
    const on = child(value as Node, 'On');
    if (on) return on;
  }
  return undefined;
}

function groupByExpressions(select: Node): unknown[] {
  const expressions = child(select, 'group_by')?.Expressions;
  return Array.isArray(expressions) && Array.isArray(expressions[0]) ? expressions[0] : [];
}

/** Collect the leaf conditions of an AND/OR tree; returns how many ORs it holds. */
function flattenConditions(node: Node, leaves: Node[]): number {
  const nested = child(node, 'Nested');
  if (nested) return flattenConditions(nested, leaves);
  const binary = child(node, 'BinaryOp');
  if (binary && (binary.op === 'And' || binary.op === 'Or')) {
    const left = flattenConditions(child(binary, 'left') ?? {}, leaves);
    const right = flattenConditions(child(binary, 'right') ?? {}, leaves);
    return left + right + (binary.op === 'Or' ? 1 : 0);
  }
  leaves.push(node);
  return 0;
}

function directSubqueries(value: unknown): number {
  if (isQueryNode(value)) return 1;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + directSubqueries(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return Object.values(value).reduce((sum: number, item) => sum + directSubqueries(item), 0);
}

function countAggregates(value: unknown): number {
  if (isQueryNode(value)) return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countAggregates(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  const node = value as Node;
  const own = isAggregateCall(node) ? 1 : 0;
  return own + Object.values(node).reduce((sum: number, item) => sum + countAggregates(item), 0);
}

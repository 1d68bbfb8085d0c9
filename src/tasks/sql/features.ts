import { type AstNode, isAggregateCall, isQueryNode, lastNamePart } from './ast.js';
import { type Hardness, hardnessOf } from './hardness.js';
import { parseSql } from './parse.js';

/** Structural features of a SQL query, for evaluation breakdowns and coverage. */
export interface SqlFeatures {
  /** Spider's hardness, or `unknown` when the query does not parse. */
  readonly hardness: Hardness | 'unknown';
  /** Tables read anywhere in the query, lower-cased. */
  readonly tables: string[];
  /** Clauses used anywhere in the query (`where`, `group-by`, `join`, `subquery`, `union`, ...). */
  readonly clauses: string[];
}

type Node = AstNode;

/** Compute {@link SqlFeatures}. The SQL parser must be loaded (`loadSqlParser`). */
export function sqlFeatures(sql: string): SqlFeatures {
  const ast = parseSql(sql);
  if (!ast) return { hardness: 'unknown', tables: [], clauses: [] };
  const tables = new Set<string>();
  const clauses = new Set<string>();
  visit(ast.query, tables, clauses, true);
  return { hardness: hardnessOf(ast), tables: [...tables].sort(), clauses: [...clauses].sort() };
}

const SET_OPERATIONS: Record<string, string> = { Union: 'union', Intersect: 'intersect', Except: 'except' };

function visit(value: unknown, tables: Set<string>, clauses: Set<string>, top: boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, tables, clauses, false);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Node;
  if (isQueryNode(node)) {
    if (!top) clauses.add('subquery');
    if (node.order_by) clauses.add('order-by');
    if (node.limit_clause) clauses.add('limit');
  }
  const select = node.Select as Node | undefined;
  if (select) {
    if (select.selection) clauses.add('where');
    if (select.having) clauses.add('having');
    if (select.distinct) clauses.add('distinct');
    const groupBy = (select.group_by as Node | undefined)?.Expressions as unknown[][] | undefined;
    if (groupBy?.[0]?.length) clauses.add('group-by');
    for (const item of (select.from as Node[] | undefined) ?? []) {
      if (((item.joins as unknown[] | undefined) ?? []).length > 0) clauses.add('join');
    }
    if (((select.from as unknown[] | undefined) ?? []).length > 1) clauses.add('join');
  }
  const setOperation = node.SetOperation as Node | undefined;
  if (setOperation) clauses.add(SET_OPERATIONS[String(setOperation.op)] ?? 'set-operation');
  const tableName = lastNamePart((node.Table as Node | undefined)?.name);
  if (tableName !== undefined) tables.add(tableName.toLowerCase());
  if ('Like' in node || 'ILike' in node) clauses.add('like');
  if (isAggregateCall(node)) clauses.add('aggregate');
  for (const [key, item] of Object.entries(node)) {
    if (key !== 'span') visit(item, tables, clauses, false);
  }
}

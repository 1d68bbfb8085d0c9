/** Small readers over sqlparser-rs's JSON AST, shared by the hardness and feature counters. */

export type AstNode = Record<string, unknown>;

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);

/** The object under `key`, when there is one. */
export function child(node: AstNode | undefined, key: string): AstNode | undefined {
  const value = node?.[key];
  return value && typeof value === 'object' ? (value as AstNode) : undefined;
}

/** True for a parsed query node (a subquery), which counters must not descend into. */
export function isQueryNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'body' in value && 'locks' in value;
}

/** The last part of a dotted name (`schema.table` gives `table`), as written. */
export function lastNamePart(name: unknown): string | undefined {
  if (!Array.isArray(name)) return undefined;
  const last = (name as AstNode[]).map((part) => child(part, 'Identifier')?.value ?? part.value).pop();
  return typeof last === 'string' ? last : undefined;
}

/** True when the node is a call of an aggregate (count, sum, avg, min, max). */
export function isAggregateCall(node: AstNode): boolean {
  const name = lastNamePart(child(node, 'Function')?.name);
  return name !== undefined && AGGREGATES.has(name.toLowerCase());
}

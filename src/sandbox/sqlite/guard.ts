import { tokenizeSql } from '../../tasks/sql/tokenize.js';

const QUERY_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES']);

/**
 * First line of defence before a statement reaches SQLite: only queries (SELECT, WITH, VALUES) pass.
 * Returns why the statement is refused, or `null`. The connection is read-only and query-only as
 * well, and the prepared statement must be a read-only reader: this check gives the clearer message.
 */
export function refusalReason(sql: string): string | null {
  const first = tokenizeSql(sql.slice(0, 4096)).find((token) => token.text !== '(');
  if (!first) return 'empty statement';
  const keyword = first.text.toUpperCase();
  if (first.kind !== 'word' || !QUERY_KEYWORDS.has(keyword)) {
    return `only read-only queries may run (got ${first.text.slice(0, 20)})`;
  }
  return null;
}

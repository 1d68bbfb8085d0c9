import { tokenizeSql } from '../tokenize.js';

const QUERY_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES']);

/**
 * First line of defence before a statement reaches SQLite: only queries (SELECT, WITH, VALUES) pass.
 * Returns why the statement is refused, or `null`. The connection is read-only and query-only as
 * well, and the prepared statement must be a read-only reader: this check gives the clearer message.
 */
export function refusalReason(sql: string): string | null {
  const tokens = tokenizeSql(sql, 64);
  if (tokens.length === 0) return 'empty statement';
  const first = tokens.find((token) => token.text !== '(');
  if (!first) return 'only read-only queries may run (no keyword in the first 64 tokens)';
  const keyword = first.text.toUpperCase();
  if (first.kind !== 'word' || !QUERY_KEYWORDS.has(keyword)) {
    return `only read-only queries may run (got ${first.text.slice(0, 20)})`;
  }
  return null;
}

const QUERY_START = /^(?:\( )*(?:select|with|values)(?: |$)/;

/**
 * {@link refusalReason} read from the parent's cheap normal form of the statement (`normaliseSql`:
 * comments dropped, keywords lower-cased, tokens joined by one space), without tokenizing again.
 */
export function refusalReasonNormalised(normalised: string): string | null {
  if (normalised.length === 0) return 'empty statement';
  if (QUERY_START.test(normalised)) return null;
  const first = normalised.replace(/^(?:\( )*/, '').split(' ', 1)[0] ?? '';
  return `only read-only queries may run (got ${first.slice(0, 20)})`;
}

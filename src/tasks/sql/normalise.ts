import { type SqlToken, tokenizeSql } from './tokenize.js';

const OPERATOR_ALIASES: Record<string, string> = { '<>': '!=', '==': '=' };

/**
 * A cheap canonical form of a SQL program, for dedup before execution. Case of keywords and
 * unquoted identifiers (both case-insensitive in SQLite), white space, comments, a trailing `;`,
 * the optional `AS` keyword and operator spellings (`<>`/`!=`, `==`/`=`) are folded. String literals,
 * quoted identifiers and numbers are kept exactly, since they can change a result. Two programs
 * with equal forms always return equal results; the converse is not attempted here.
 */
export function normaliseSql(program: string): string {
  return canonicalTokens(tokenizeSql(program)).join(' ');
}

/** The canonical texts of a program's tokens, as {@link normaliseSql} joins them. */
export function canonicalTokens(tokens: readonly SqlToken[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower !== 'as') out.push(lower);
    } else if (token.kind === 'punct') {
      out.push(OPERATOR_ALIASES[token.text] ?? token.text);
    } else {
      out.push(token.text);
    }
  }
  while (out.length > 0 && out[out.length - 1] === ';') out.pop();
  return out;
}

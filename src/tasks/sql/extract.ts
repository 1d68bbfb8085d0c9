import { isKeyword, type SqlToken, tokenizeSql } from './tokenize.js';

const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const QUERY_START = /\b(SELECT|WITH|VALUES)\b/i;
/**
 * A statement that is not a query, at the start of a line: it is extracted (and then refused by the
 * executor as a write, with its reason) rather than dropped as "no program".
 */
const OTHER_STATEMENT_START =
  /^[ \t]*(DROP|ATTACH|DETACH|DELETE|INSERT|UPDATE|CREATE|ALTER|PRAGMA|REPLACE|VACUUM|REINDEX|ANALYZE)\b/im;
const CONTINUATION_KEYWORDS = new Set([
  'FROM',
  'WHERE',
  'GROUP',
  'ORDER',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'AND',
  'OR',
  'NOT',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'ON',
  'SELECT',
  'AS',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CASE',
  'IN',
  'EXISTS',
  'BY',
  'ASC',
  'DESC',
  'USING',
]);

/**
 * Pull one SQL query out of model text. Handles code fences (a `sql` fence first), prose before and
 * after the query, a continuation of a prompt that ended in `SELECT` (text that starts with the
 * select list), and several statements (the first query is taken; other statements are dropped
 * unexecuted). With no query at all, a write or other statement starting a line (`DROP TABLE x`,
 * `ATTACH ...`) is returned, so the executor refuses it as a write with its reason instead of the
 * candidate counting as text with no program. Returns `null` when the text holds no statement.
 */
export function extractSql(text: string): string | null {
  return extractSqlTokens(text)?.program ?? null;
}

/** {@link extractSql}, with the program's tokens (comments and white space dropped), for one-pass normalisation. */
export function extractSqlTokens(text: string): { program: string; tokens: SqlToken[] } | null {
  const block = fencedBlock(text);
  const source = block ?? text;
  const startMatch = QUERY_START.exec(source);
  let body: string;
  if (startMatch) {
    body = source.slice(startMatch.index);
  } else {
    const other = OTHER_STATEMENT_START.exec(source);
    if (other) body = source.slice(other.index).trimStart();
    else if (looksLikeSelectContinuation(source)) body = `SELECT ${source.trimStart()}`;
    else return null;
  }
  const statement = firstStatement(body);
  return statement.program.length > 0 ? statement : null;
}

function fencedBlock(text: string): string | null {
  if (!text.includes('```')) return null;
  let first: string | null = null;
  let other: string | null = null;
  for (const match of text.matchAll(FENCE)) {
    const language = (match[1] ?? '').toLowerCase();
    const content = match[2] ?? '';
    if (language.includes('sql') && QUERY_START.test(content)) return content;
    if (first === null && QUERY_START.test(content)) first = content;
    if (other === null && OTHER_STATEMENT_START.test(content)) other = content;
  }
  return first ?? other;
}

function looksLikeSelectContinuation(text: string): boolean {
  const tokens = tokenizeSql(text.slice(0, 2000));
  const fromIndex = tokens.findIndex((token) => isKeyword(token, 'FROM'));
  if (fromIndex <= 0) return false;
  // The select list is identifiers, literals, function calls and operators: a sentence has many bare words in a row.
  let wordsInARow = 0;
  for (const token of tokens.slice(0, fromIndex)) {
    if (token.kind === 'word' && !isKeyword(token, 'DISTINCT') && !isKeyword(token, 'AS')) {
      wordsInARow++;
      if (wordsInARow > 2) return false;
    } else {
      wordsInARow = 0;
    }
    if (token.kind === 'other') return false;
  }
  return true;
}

/** The first statement and its tokens: up to a `;` at depth 0, or up to prose after a blank line. */
function firstStatement(body: string): { program: string; tokens: SqlToken[] } {
  const tokens = tokenizeSql(body);
  let end = body.length;
  let count = tokens.length;
  let depth = 0;
  let previous: SqlToken | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.text === '(') depth++;
    else if (token.text === ')') depth = Math.max(0, depth - 1);
    else if (token.text === ';' && depth === 0) {
      end = token.start;
      count = index;
      break;
    }
    if (previous && depth === 0 && endsParagraph(body, previous, token)) {
      end = previous.start + previous.text.length;
      count = index;
      break;
    }
    if (previous && token.kind === 'other' && depth === 0 && !isSqlContinuation(token)) {
      end = previous.start + previous.text.length;
      count = index;
      break;
    }
    previous = token;
  }
  if (count < tokens.length) tokens.length = count;
  return { program: body.slice(0, end).trim(), tokens };
}

function endsParagraph(body: string, previous: SqlToken, token: SqlToken): boolean {
  const gapStart = previous.start + previous.text.length;
  // A blank line needs two characters at least; most gaps are one space or none.
  if (token.start - gapStart < 2) return false;
  const gap = body.slice(gapStart, token.start);
  if (!/\n[ \t]*\n/.test(gap)) return false;
  return (
    !(token.kind === 'word' && CONTINUATION_KEYWORDS.has(token.text.toUpperCase())) && token.text !== ')'
  );
}

function isSqlContinuation(token: SqlToken): boolean {
  return token.text === '!' || token.text === '^';
}

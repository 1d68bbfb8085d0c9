import { extractSqlTokens } from './extract.js';
import { canonicalTokens } from './normalise.js';

/** `extractSql` then `normaliseSql` in one tokenizer pass; `null` when the text holds no query. */
export function prepareSql(text: string): { program: string; normalised: string } | null {
  const extracted = extractSqlTokens(text);
  if (!extracted) return null;
  return { program: extracted.program, normalised: canonicalTokens(extracted.tokens).join(' ') };
}

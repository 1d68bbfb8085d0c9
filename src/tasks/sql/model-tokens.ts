import type { ProgramTokens } from '../spec.js';

const SQL_TOKEN =
  /'(?:[^']|'')*'|"(?:[^"]|"")*"|[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*|[a-z_][a-z0-9_]*|\d+(?:\.\d+)?|<=|>=|<>|!=|==|\|\||[^\s]/gi;

/**
 * Tokens of a SQL program for the task model: lower case, `table.column` as one token, and each
 * string literal split into its quote marks and its words, so the model can copy values word by word
 * from the question (`'new york'` -> `'`, `new`, `york`, `'`). A trailing `;` is dropped.
 */
export function sqlModelTokens(program: string): string[] {
  const tokens: string[] = [];
  for (const match of program.trim().replace(/;\s*$/, '').matchAll(SQL_TOKEN)) {
    const text = match[0];
    const quote = text[0];
    if ((quote === "'" || quote === '"') && text.length >= 2 && text.endsWith(quote)) {
      const inner = text.slice(1, -1).replaceAll(`${quote}${quote}`, quote).toLowerCase();
      tokens.push("'", ...inner.split(/\s+/).filter(Boolean), "'");
    } else {
      tokens.push(text.toLowerCase());
    }
  }
  return tokens;
}

/** Inverse of {@link sqlModelTokens}: join tokens back into SQL, rebuilding string literals. */
export function sqlFromModelTokens(tokens: readonly string[]): string {
  const parts: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    if (tokens[index] !== "'") {
      parts.push(tokens[index]!);
      continue;
    }
    const words: string[] = [];
    index++;
    while (index < tokens.length && tokens[index] !== "'") words.push(tokens[index++]!);
    parts.push(`'${words.join(' ').replaceAll("'", "''")}'`);
  }
  return parts.join(' ');
}

/** SQL as the built-in task model reads and writes it (the task's `modelTokens`). */
export const sqlModelTokenizer: ProgramTokens = { encode: sqlModelTokens, decode: sqlFromModelTokens };

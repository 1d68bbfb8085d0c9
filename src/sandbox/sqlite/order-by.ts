import { isKeyword, tokenizeSql } from '../../tasks/sql/tokenize.js';

/** True when the query orders its output: an ORDER BY outside every parenthesis. */
export function ordersOutput(sql: string): boolean {
  const tokens = tokenizeSql(sql);
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    else if (depth === 0 && isKeyword(token, 'ORDER') && isKeyword(tokens[index + 1], 'BY')) return true;
  }
  return false;
}

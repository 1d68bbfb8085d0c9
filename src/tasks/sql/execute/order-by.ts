import { isKeyword, tokenizeSql } from '../tokenize.js';

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

/**
 * {@link ordersOutput} on a cheap normal form (`normaliseSql`'s output: tokens joined by one space,
 * keywords lower-cased, literals kept whole): a character scan, no tokenizing.
 */
export function ordersNormalisedOutput(normalised: string): boolean {
  let depth = 0;
  const length = normalised.length;
  for (let index = 0; index < length; index++) {
    const code = normalised.charCodeAt(index);
    if (code === 39 || code === 34 || code === 96) {
      // a quoted token: skip to its closing quote (doubled quotes inside read as close-and-reopen)
      const close = normalised.indexOf(normalised[index]!, index + 1);
      index = close === -1 ? length : close;
    } else if (code === 91) {
      const close = normalised.indexOf(']', index + 1);
      index = close === -1 ? length : close;
    } else if (code === 40) {
      depth++;
    } else if (code === 41) {
      depth--;
    } else if (
      depth === 0 &&
      code === 111 &&
      (index === 0 || normalised.charCodeAt(index - 1) === 32) &&
      normalised.startsWith('order by', index) &&
      (index + 8 === length || normalised.charCodeAt(index + 8) === 32)
    ) {
      return true;
    }
  }
  return false;
}

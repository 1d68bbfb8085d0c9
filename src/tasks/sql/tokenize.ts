/**
 * A small, fast SQL tokenizer for SQLite's lexical rules. It never fails: unknown characters become
 * `other` tokens. Used for cheap normalisation, statement splitting and clause detection, where a
 * full parse would cost more than the execution it guards.
 */

export type SqlTokenKind =
  | 'word'
  | 'quoted-identifier'
  | 'string'
  | 'number'
  | 'parameter'
  | 'punct'
  | 'other';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** The token's source text. */
  readonly text: string;
  /** Offset of the first character in the source. */
  readonly start: number;
}

// Character classes by code: a regular expression per character costs more than the whole scan.
function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}
function isWordStartCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128;
}
function isWordPartCode(code: number): boolean {
  return isWordStartCode(code) || isDigitCode(code) || code === 36;
}
const TWO_CHAR_OPERATORS = new Set(['<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->']);

/** Split SQL text into tokens, dropping whitespace and comments; stops after `maxTokens`. */
export function tokenizeSql(source: string, maxTokens = Number.POSITIVE_INFINITY): SqlToken[] {
  const tokens: SqlToken[] = [];
  const length = source.length;
  let index = 0;
  while (index < length && tokens.length < maxTokens) {
    const char = source[index]!;
    if (char === ' ' || char === '\n' || char === '\t' || char === '\r' || char === '\f') {
      index++;
      continue;
    }
    const start = index;
    if (char === '-' && source[index + 1] === '-') {
      const end = source.indexOf('\n', index);
      index = end === -1 ? length : end + 1;
      continue;
    }
    if (char === '/' && source[index + 1] === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end === -1 ? length : end + 2;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      index = skipQuoted(source, index, char);
      tokens.push({
        kind: char === "'" ? 'string' : 'quoted-identifier',
        text: source.slice(start, index),
        start,
      });
      continue;
    }
    if (char === '[') {
      const end = source.indexOf(']', index);
      index = end === -1 ? length : end + 1;
      tokens.push({ kind: 'quoted-identifier', text: source.slice(start, index), start });
      continue;
    }
    if (
      isDigitCode(source.charCodeAt(index)) ||
      (char === '.' && isDigitCode(source.charCodeAt(index + 1)))
    ) {
      index = skipNumber(source, index);
      tokens.push({ kind: 'number', text: source.slice(start, index), start });
      continue;
    }
    if (isWordStartCode(source.charCodeAt(index))) {
      index++;
      while (index < length && isWordPartCode(source.charCodeAt(index))) index++;
      tokens.push({ kind: 'word', text: source.slice(start, index), start });
      continue;
    }
    if (char === '?' || char === ':' || char === '@' || char === '$') {
      index++;
      while (index < length && isWordPartCode(source.charCodeAt(index))) index++;
      tokens.push({ kind: 'parameter', text: source.slice(start, index), start });
      continue;
    }
    const pair = source.slice(index, index + 2);
    if (TWO_CHAR_OPERATORS.has(pair)) {
      index += 2;
      tokens.push({ kind: 'punct', text: pair, start });
      continue;
    }
    index++;
    tokens.push({ kind: '(),;.=<>+-*/%|&~'.includes(char) ? 'punct' : 'other', text: char, start });
  }
  return tokens;
}

function skipQuoted(source: string, index: number, quote: string): number {
  let position = index + 1;
  while (position < source.length) {
    if (source[position] === quote) {
      if (source[position + 1] === quote) {
        position += 2;
        continue;
      }
      return position + 1;
    }
    position++;
  }
  return source.length;
}

function skipNumber(source: string, index: number): number {
  let position = index;
  if (source[position] === '0' && (source[position + 1] === 'x' || source[position + 1] === 'X')) {
    position += 2;
    while (position < source.length && /[0-9A-Fa-f]/.test(source[position]!)) position++;
    return position;
  }
  while (position < source.length && isDigitCode(source.charCodeAt(position))) position++;
  if (source[position] === '.') {
    position++;
    while (position < source.length && isDigitCode(source.charCodeAt(position))) position++;
  }
  if (source[position] === 'e' || source[position] === 'E') {
    const sign = source[position + 1] === '+' || source[position + 1] === '-' ? 1 : 0;
    if (isDigitCode(source.charCodeAt(position + 1 + sign))) {
      position += 1 + sign;
      while (position < source.length && isDigitCode(source.charCodeAt(position))) position++;
    }
  }
  return position;
}

/** True when the token is the given keyword (case-insensitive). */
export function isKeyword(token: SqlToken | undefined, keyword: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text.toUpperCase() === keyword;
}

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
/** `<=`, `>=`, `<>`, `!=`, `==`, `||`, `<<`, `>>`, `->`, by their two character codes. */
function isTwoCharOperator(first: number, second: number): boolean {
  switch (first) {
    case 60: // <
      return second === 61 || second === 62 || second === 60;
    case 62: // >
      return second === 61 || second === 62;
    case 33: // !
    case 61: // =
      return second === 61;
    case 124: // |
      return second === 124;
    case 45: // -
      return second === 62;
    default:
      return false;
  }
}

/** One of `(),;.=<>+-*\/%|&~`. */
function isPunctCode(code: number): boolean {
  switch (code) {
    case 40:
    case 41:
    case 44:
    case 59:
    case 46:
    case 61:
    case 60:
    case 62:
    case 43:
    case 45:
    case 42:
    case 47:
    case 37:
    case 124:
    case 38:
    case 126:
      return true;
    default:
      return false;
  }
}

/** Split SQL text into tokens, dropping whitespace and comments; stops after `maxTokens`. */
export function tokenizeSql(source: string, maxTokens = Number.POSITIVE_INFINITY): SqlToken[] {
  const tokens: SqlToken[] = [];
  const length = source.length;
  let index = 0;
  while (index < length && tokens.length < maxTokens) {
    const code = source.charCodeAt(index);
    // space, \n, \t, \r, \f
    if (code === 32 || code === 10 || code === 9 || code === 13 || code === 12) {
      index++;
      continue;
    }
    const start = index;
    const next = source.charCodeAt(index + 1);
    if (code === 45 && next === 45) {
      // -- comment
      const end = source.indexOf('\n', index);
      index = end === -1 ? length : end + 1;
      continue;
    }
    if (code === 47 && next === 42) {
      // /* comment */
      const end = source.indexOf('*/', index + 2);
      index = end === -1 ? length : end + 2;
      continue;
    }
    if (code === 39 || code === 34 || code === 96) {
      // ' " `
      index = skipQuoted(source, index, code);
      tokens.push({
        kind: code === 39 ? 'string' : 'quoted-identifier',
        text: source.slice(start, index),
        start,
      });
      continue;
    }
    if (code === 91) {
      // [identifier]
      const end = source.indexOf(']', index);
      index = end === -1 ? length : end + 1;
      tokens.push({ kind: 'quoted-identifier', text: source.slice(start, index), start });
      continue;
    }
    if (isDigitCode(code) || (code === 46 && isDigitCode(next))) {
      index = skipNumber(source, index);
      tokens.push({ kind: 'number', text: source.slice(start, index), start });
      continue;
    }
    if (isWordStartCode(code)) {
      index++;
      while (index < length && isWordPartCode(source.charCodeAt(index))) index++;
      tokens.push({ kind: 'word', text: source.slice(start, index), start });
      continue;
    }
    if (code === 63 || code === 58 || code === 64 || code === 36) {
      // ? : @ $
      index++;
      while (index < length && isWordPartCode(source.charCodeAt(index))) index++;
      tokens.push({ kind: 'parameter', text: source.slice(start, index), start });
      continue;
    }
    if (isTwoCharOperator(code, next)) {
      index += 2;
      tokens.push({ kind: 'punct', text: source.slice(start, index), start });
      continue;
    }
    index++;
    tokens.push({ kind: isPunctCode(code) ? 'punct' : 'other', text: source[start]!, start });
  }
  return tokens;
}

function skipQuoted(source: string, index: number, quote: number): number {
  let position = index + 1;
  while (position < source.length) {
    if (source.charCodeAt(position) === quote) {
      if (source.charCodeAt(position + 1) === quote) {
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

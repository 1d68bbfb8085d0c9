import { questionWords } from '../dataset/index.js';
import type { ProgramTokens } from '../tasks/spec.js';

/** A line break and the indentation after it, as one token (`\n` then the spaces). */
const BREAK = /^\n */;

/**
 * The default program tokens of the built-in task model, for a task without its own `modelTokens`:
 * the words of each line (split at spaces and tabs), with each line break and the indentation that
 * follows it as one token, so multi-line programs (Python) come back with their layout. Runs of
 * spaces inside a line come back as one space.
 */
export const wordTokens: ProgramTokens = {
  encode(program) {
    const tokens: string[] = [];
    const lines = program.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').trimEnd().split('\n');
    for (const [index, line] of lines.entries()) {
      const indent = /^ */.exec(line)![0];
      if (index > 0) tokens.push(`\n${indent}`);
      tokens.push(...line.trim().split(/ +/).filter(Boolean));
    }
    return tokens;
  },
  decode(tokens) {
    let out = '';
    let lineStart = true;
    for (const token of tokens) {
      if (BREAK.test(token)) {
        out += token;
        lineStart = true;
        continue;
      }
      out += lineStart ? token : ` ${token}`;
      lineStart = false;
    }
    return out;
  },
};

/** Words of a question for the task model (folded case and punctuation). */
export function questionModelTokens(question: string): string[] {
  return questionWords(question);
}

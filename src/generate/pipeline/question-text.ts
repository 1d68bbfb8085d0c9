import { hasUnspacedScript, questionWords } from '../../dataset/text.js';
import { normaliseText } from '../../prompt/value-index.js';

/**
 * The question in a `gen_q` sample: the first non-empty line, without a `Question:` / `-- Question:`
 * prefix, list numbering, or surrounding quotes. Null when nothing is left or it looks like SQL.
 */
export function extractQuestion(text: string): string | null {
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (!line || /^```/.test(line)) continue;
    line = line
      .replace(/^(--\s*)?(question|q)\s*[:.]\s*/i, '')
      .replace(/^(\d+[.)]|[-*•])\s+/, '')
      .replace(/^["'“”`]+|["'“”`]+$/g, '')
      .trim();
    if (!line) continue;
    if (/^(select|with|insert|update|delete)\b/i.test(line)) return null;
    return line;
  }
  return null;
}

/** The dedup key of a question: lower case, punctuation removed, single spaces. */
export function questionKey(question: string): string {
  return normaliseText(question);
}

/** Words in a question (CJK-aware: see {@link questionWords}). */
export function wordCount(question: string): number {
  const spaced = question.split(/\s+/).filter(Boolean).length;
  return hasUnspacedScript(question) ? Math.max(spaced, questionWords(question).length) : spaced;
}

/** Why a sample gives no new question, or null when it does. */
export type QuestionDrop =
  | 'no-question'
  | 'too-short'
  | 'too-long'
  | 'duplicate-exact'
  | 'duplicate-normalised'
  | 'demonstration';

/**
 * Filters `gen_q` samples as SymGen does (length, then duplicates), with two duplicate levels:
 * `exact` (the same text) and `normalised` (the same after {@link questionKey}).
 */
export class QuestionFilter {
  private readonly exact = new Set<string>();
  private readonly keys = new Set<string>();

  constructor(
    private readonly words: { min: number; max: number },
    existing: Iterable<string> = [],
    private readonly demonstrationKeys: ReadonlySet<string> = new Set(),
  ) {
    for (const key of existing) this.keys.add(key);
  }

  /** Classify one sample; a kept question is remembered so the next equal one is a duplicate. */
  check(text: string): { question: string; key: string } | { drop: QuestionDrop } {
    const question = extractQuestion(text);
    if (question === null) return { drop: 'no-question' };
    const words = wordCount(question);
    if (words < this.words.min) return { drop: 'too-short' };
    if (words > this.words.max) return { drop: 'too-long' };
    if (this.exact.has(question)) return { drop: 'duplicate-exact' };
    const key = questionKey(question);
    if (this.demonstrationKeys.has(key)) return { drop: 'demonstration' };
    if (this.keys.has(key)) return { drop: 'duplicate-normalised' };
    this.exact.add(question);
    this.keys.add(key);
    return { question, key };
  }
}

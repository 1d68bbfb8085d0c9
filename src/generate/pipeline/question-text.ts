import { hasUnspacedScript, questionWords } from '../../dataset/text.js';
import { firstLineQuestion, normaliseText } from '../../tasks/shared/text.js';
import type { GeneratedQuestion } from '../../tasks/spec.js';

/** How a task reads the question in a `gen_q` sample (its `generation.question`, or the first line). */
export type QuestionParser = (text: string) => GeneratedQuestion | null;

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

/** A question a sample gave, with its dedup key and the task fields it carries. */
export interface CheckedQuestion {
  readonly question: string;
  readonly key: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * Filters `gen_q` samples as SymGen does (length, then duplicates), with two duplicate levels:
 * `exact` (the same text) and `normalised` (the same after {@link questionKey}). `check` changes
 * nothing; `remember` adds a question the store kept, so the filter always holds what the store
 * holds and a resumed run filters exactly as an uninterrupted one.
 */
export class QuestionFilter {
  private readonly exact = new Set<string>();
  private readonly keys = new Set<string>();

  constructor(
    private readonly words: { min: number; max: number },
    existing: Iterable<string | { question: string; key: string }> = [],
    private readonly demonstrationKeys: ReadonlySet<string> = new Set(),
    private readonly parse: QuestionParser = firstLineQuestion,
  ) {
    for (const item of existing) {
      if (typeof item === 'string') this.keys.add(item);
      else this.remember(item.question, item.key);
    }
  }

  /** Classify one sample against what is remembered. */
  check(text: string): CheckedQuestion | { drop: QuestionDrop } {
    const parsed = this.parse(text);
    if (parsed === null) return { drop: 'no-question' };
    const { question } = parsed;
    const words = wordCount(parsed.words ?? question);
    if (words < this.words.min) return { drop: 'too-short' };
    if (words > this.words.max) return { drop: 'too-long' };
    if (this.exact.has(question)) return { drop: 'duplicate-exact' };
    const key = questionKey(question);
    if (this.demonstrationKeys.has(key)) return { drop: 'demonstration' };
    if (this.keys.has(key)) return { drop: 'duplicate-normalised' };
    return { question, key, ...(parsed.fields ? { fields: parsed.fields } : {}) };
  }

  /** A kept question: the next equal one is a duplicate. */
  remember(question: string, key: string): void {
    this.exact.add(question);
    this.keys.add(key);
  }
}

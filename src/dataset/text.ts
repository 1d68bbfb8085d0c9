/**
 * Fold a question for comparison: lower case, punctuation to spaces, runs of white space to one.
 * Two questions with equal folds differ only in case, punctuation or spacing.
 */
export function foldQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Scripts written without spaces between words: their words are found by the Unicode word segmenter. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
let segmenter: Intl.Segmenter | undefined;

/** True when `text` has letters of a script written without spaces between words. */
export function hasUnspacedScript(text: string): boolean {
  return UNSPACED.test(text);
}

/**
 * The words of a question after {@link foldQuestion}: split at spaces, and, for text in a script
 * written without spaces (Chinese, Japanese, Thai, ...), by `Intl.Segmenter`'s word boundaries, so
 * `美国最大的州是哪个` is six words, not one.
 */
export function questionWords(question: string): string[] {
  const folded = foldQuestion(question);
  if (folded === '') return [];
  if (!UNSPACED.test(folded)) return folded.split(' ');
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  const words: string[] = [];
  for (const part of segmenter.segment(folded)) if (part.isWordLike) words.push(part.segment);
  return words;
}

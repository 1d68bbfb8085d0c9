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

/** The words of a question after {@link foldQuestion}. */
export function questionWords(question: string): string[] {
  const folded = foldQuestion(question);
  return folded === '' ? [] : folded.split(' ');
}

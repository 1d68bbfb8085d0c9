/** Significant digits two answers must share to be equal (besides being within 1e-6 of one integer). */
export const ANSWER_DIGITS = 8;

/**
 * The number in an answer text: `18`, `$1,234.50`, `-3`, `40%`, `1/2`, `1e3`; the last number when
 * there are several (`The answer is 18.`). `null` when there is none.
 */
export function parseAnswerNumber(text: string): number | null {
  const cleaned = text.replace(/(\d),(?=\d{3}\b)/g, '$1');
  const matches = [
    ...cleaned.matchAll(/-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)?|-?\.\d+/g),
  ];
  const last = matches[matches.length - 1]?.[0];
  if (last === undefined) return null;
  if (last.includes('/')) {
    const [numerator, denominator] = last.split('/').map((part) => Number(part.trim()));
    return denominator ? numerator! / denominator : null;
  }
  const value = Number(last);
  return Number.isFinite(value) ? value : null;
}

/**
 * The result key of a numeric answer: a whole number when the value is within 1e-6 of one, else
 * the value to `ANSWER_DIGITS` significant digits. Equal keys mean answers equal within that tolerance.
 */
export function numericKey(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value);
  if (Math.abs(value - rounded) < 1e-6) return String(rounded === 0 ? 0 : rounded);
  return String(Number(value.toPrecision(ANSWER_DIGITS)));
}

/** GSM8K's gold answer: the number after `#### `. `null` when the text has no such line. */
export function goldAnswer(answer: string): number | null {
  const marker = answer.lastIndexOf('####');
  return marker < 0 ? null : parseAnswerNumber(answer.slice(marker + 4));
}

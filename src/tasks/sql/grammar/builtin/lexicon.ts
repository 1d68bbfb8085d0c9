/** The words people use for more and less of a measure, by the words of its column's name. */
import { columnPhrase } from '../induce.js';
import type { Entity } from './roles.js';

/** How people say more and less of a measure, by the words of its name. */
export const LEXICON: readonly {
  readonly words: RegExp;
  readonly most: readonly string[];
  readonly least: readonly string[];
  /** "how large is X" asks the measure of X. */
  readonly how: readonly string[];
  /** The measure is what "large" means of a thing (area, size, population where there is no area). */
  readonly size?: boolean;
}[] = [
  {
    words: /\b(area|size)\b/,
    most: ['largest', 'biggest'],
    least: ['smallest'],
    how: ['how large is', 'how big is'],
    size: true,
  },
  {
    words: /\bpopulation\b/,
    most: ['most populous', 'most populated'],
    least: ['least populous', 'least populated'],
    how: ['how many people live in', 'how many people are in'],
    size: true,
  },
  { words: /\blength\b/, most: ['longest'], least: ['shortest'], how: ['how long is'] },
  {
    words: /\b(altitude|elevation|height)\b/,
    most: ['highest', 'tallest'],
    least: ['lowest'],
    how: ['how high is', 'how tall is'],
  },
  { words: /\bage\b/, most: ['oldest'], least: ['youngest'], how: ['how old is'] },
  { words: /\b(price|cost)\b/, most: ['most expensive'], least: ['cheapest'], how: ['how much is'] },
  { words: /\bweight\b/, most: ['heaviest'], least: ['lightest'], how: ['how heavy is'] },
  { words: /\bspeed\b/, most: ['fastest'], least: ['slowest'], how: ['how fast is'] },
  { words: /\b(year|founded|date)\b/, most: ['most recent', 'latest'], least: ['earliest'], how: [] },
];

const GENERIC_MOST = ['highest', 'largest', 'greatest'];
const GENERIC_LEAST = ['lowest', 'smallest'];

export function words(table: string, column: string): string {
  return columnPhrase(table, column).join(' ');
}

export function lexiconOf(table: string, column: string) {
  const phrase = words(table, column);
  return LEXICON.find((entry) => entry.words.test(phrase));
}

/** Adjectives for the most and the least of a measure ("longest" / "shortest"). */
export function adjectives(table: string, column: string, most: boolean): readonly string[] {
  const entry = lexiconOf(table, column);
  return entry ? (most ? entry.most : entry.least) : [];
}

/** "with the highest population density" phrasings. */
export function withThe(table: string, column: string, most: boolean): string[] {
  const phrase = words(table, column);
  return (most ? GENERIC_MOST : GENERIC_LEAST).slice(0, 2).map((adjective) => `${adjective} ${phrase}`);
}

/** The measure "large" means of an entity: its area or size, else its population. */
export function sizeOf(entity: Entity): string | undefined {
  const sizes = entity.measures.filter((measure) => lexiconOf(entity.table, measure)?.size);
  return sizes.find((measure) => lexiconOf(entity.table, measure) === LEXICON[0]) ?? sizes[0];
}

/** `a` or `an` before a phrase. */
export function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? 'an' : 'a';
}

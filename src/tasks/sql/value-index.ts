import type Database from 'better-sqlite3';
import { normaliseText } from '../shared/text.js';
import { quoteIdentifier, type SqlSchema } from './schema.js';

/** A cell value of the database that matches words of a question. */
export interface ValueMatch {
  readonly table: string;
  readonly column: string;
  readonly value: string;
  /** The value as a SQL literal (`'texas'`). */
  readonly literal: string;
}

/** Options of {@link buildValueIndex}. */
export interface ValueIndexOptions {
  /** Distinct values read per text column. @default 20000 */
  readonly maxValuesPerColumn?: number;
  /** Longest value indexed, in characters. @default 64 */
  readonly maxValueLength?: number;
}

/** An index of a database's text cells, built once and matched against many questions. */
export interface ValueIndex {
  /**
   * Places (table, column, value) whose normalised value equals an n-gram of the question, at most
   * `limit`, the most relevant first: each matched value's best place before any second place, a
   * place in a table or column the question names before others, longer n-grams before shorter.
   * Every column holding a matched value is a candidate, whatever its position in the schema.
   */
  match(question: string, limit: number): ValueMatch[];
  readonly size: number;
}

// Places kept per distinct value (a value such as a state name sits in many columns).
const MAX_PLACES = 64;

// Single words that match too many cells to be informative.
const STOPWORDS = new Set(
  'a an and are as at be by for from has have how i in is it me of on or the to was what when where which who with all any list give show many much number'.split(
    ' ',
  ),
);

/**
 * Indexes the text cells of every table (as BRIDGE and SymGen do for "cell values that match words
 * of the question"): each distinct value, normalised, maps to where it occurs. Matching then looks
 * up every n-gram of the question, so one question costs O(words x longest value) lookups.
 */
export function buildValueIndex(
  db: Database.Database,
  schema: SqlSchema,
  options: ValueIndexOptions = {},
): ValueIndex {
  const maxValues = options.maxValuesPerColumn ?? 20_000;
  const maxLength = options.maxValueLength ?? 64;
  const entries = new Map<string, ValueMatch[]>();
  let longest = 1;
  for (const table of schema.tables) {
    for (const column of table.columns) {
      const quoted = quoteIdentifier(column.name);
      let rows: { value: unknown }[];
      try {
        rows = db
          .prepare(
            `SELECT DISTINCT ${quoted} AS value FROM ${quoteIdentifier(table.name)} WHERE typeof(${quoted}) = 'text' AND length(${quoted}) <= ? LIMIT ?`,
          )
          .all(maxLength, maxValues) as { value: unknown }[];
      } catch {
        // a column SQLite cannot read (a broken view or virtual table) adds no values
        continue;
      }
      for (const { value } of rows) {
        if (typeof value !== 'string') continue;
        const key = normaliseText(value);
        if (key.length < 2 || STOPWORDS.has(key)) continue;
        const list = entries.get(key) ?? [];
        if (list.length < MAX_PLACES)
          list.push({ table: table.name, column: column.name, value, literal: literal(value) });
        entries.set(key, list);
        longest = Math.max(longest, key.split(' ').length);
      }
    }
  }
  const maxN = Math.min(longest, 6);
  return {
    size: entries.size,
    match(question, limit) {
      if (limit <= 0) return [];
      const words = normaliseText(question).split(' ').filter(Boolean);
      const named = questionStems(words);
      const found: { places: ValueMatch[]; n: number }[] = [];
      const values = new Set<string>();
      const covered = new Array<boolean>(words.length).fill(false);
      // longest n-grams first
      for (let n = maxN; n >= 1; n--) {
        for (let start = 0; start + n <= words.length; start++) {
          // a shorter n-gram inside a longer match adds nothing ("new york" already matched)
          if (covered.slice(start, start + n).every(Boolean)) continue;
          const gram = words.slice(start, start + n).join(' ');
          const key = entries.has(gram) ? gram : gram.endsWith('s') ? gram.slice(0, -1) : gram;
          const matches = entries.get(key);
          if (!matches || values.has(key)) continue;
          for (let i = start; i < start + n; i++) covered[i] = true;
          values.add(key);
          found.push({ places: rankPlaces(matches, named), n });
        }
      }
      // round r holds every value's r-th best place: each value's best place comes before any second one
      const out: ValueMatch[] = [];
      for (let round = 0; out.length < limit; round++) {
        const tier = found.filter((value) => value.places.length > round);
        if (tier.length === 0) break;
        const ranked = tier
          .map((value, order) => ({ place: value.places[round]!, n: value.n, order, named }))
          .sort(
            (a, b) => relevance(b.place, named) - relevance(a.place, named) || b.n - a.n || a.order - b.order,
          );
        for (const { place } of ranked) {
          if (out.length >= limit) break;
          out.push(place);
        }
      }
      return out;
    },
  };
}

/** Words of the question and their singular forms ("mountains" names table `mountain`). */
function questionStems(words: readonly string[]): Set<string> {
  const stems = new Set<string>();
  for (const word of words) {
    stems.add(word);
    if (word.endsWith('ies')) stems.add(`${word.slice(0, -3)}y`);
    if (word.endsWith('es')) stems.add(word.slice(0, -2));
    if (word.endsWith('s')) stems.add(word.slice(0, -1));
  }
  return stems;
}

/** How much the question names a place: its table (2) and the words of its column (1 each). */
function relevance(place: ValueMatch, named: ReadonlySet<string>): number {
  const parts = (name: string) =>
    normaliseText(name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ')).split(' ');
  let score = parts(place.table).some((part) => part.length > 1 && named.has(part)) ? 2 : 0;
  for (const part of parts(place.column)) if (part.length > 2 && named.has(part) && part !== 'name') score++;
  return score;
}

/** A value's places, the most relevant first (schema order among equals). */
function rankPlaces(places: readonly ValueMatch[], named: ReadonlySet<string>): ValueMatch[] {
  return places
    .map((place, order) => ({ place, order, score: relevance(place, named) }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((entry) => entry.place);
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export { normaliseText };

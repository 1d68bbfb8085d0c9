/** Words of a question with their places, and the noun forms of table names, for alignment. */

/** One word of a question: where it is and its folded form. */
export interface Word {
  readonly start: number;
  readonly end: number;
  readonly folded: string;
}

/** Folded words (lower case, accents dropped, letters and digits) of a text. */
export function wordsOf(text: string): string[] {
  return questionWords(text).map((word) => word.folded);
}

/** The words of a question with their offsets. */
export function questionWords(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:[.'][\p{L}\p{N}]+)*/gu)) {
    const folded = match[0]
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '');
    words.push({ start: match.index, end: match.index + match[0].length, folded });
  }
  return words;
}

/** The words of a table or column name: camelCase and snake_case split (`stateName`, `state_name`). */
export function nameWords(name: string): string[] {
  return wordsOf(name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' '));
}

/** The plural of an English noun (`city` -> `cities`, `box` -> `boxes`). */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The singular of an English noun that reads as a plural (`countries` -> `country`); others unchanged. */
export function singularize(word: string): string {
  if (word.length < 4 || /(ss|us|is|ics)$/.test(word) || !word.endsWith('s')) return word;
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|xes|zes|sses)$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

const GENERIC = new Set(['info', 'information', 'data', 'table', 'details', 'record', 'records', 'list']);

/** Singular and plural word sequences of a table name (`border_info` -> `border info` / `border infos`). */
export function nounForms(table: string): { singular: string[]; plural: string[] } {
  const all = nameWords(table);
  // a generic last word says nothing a person would say (`border_info` -> `border`)
  const kept = all.length > 1 && GENERIC.has(all[all.length - 1]!) ? all.slice(0, -1) : all;
  if (kept.length === 0) return { singular: [], plural: [] };
  // a table named in the plural (`countries`, `sailors`) is a singular noun made plural
  const singular = [...kept.slice(0, -1), singularize(kept[kept.length - 1]!)];
  const plural = [...singular.slice(0, -1), pluralize(singular[singular.length - 1]!)];
  return { singular, plural };
}

/**
 * English words from schema names: `state_name` and `stateName` both give `state name`; nouns are
 * made plural or singular by the usual English rules (with a few irregular forms).
 */

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
  foot: 'feet',
  tooth: 'teeth',
  datum: 'data',
  criterion: 'criteria',
  analysis: 'analyses',
  staff: 'staff',
  series: 'series',
  species: 'species',
  information: 'information',
  info: 'info',
  equipment: 'equipment',
};
const IRREGULAR_SINGULARS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(IRREGULAR_PLURALS).map(([singular, plural]) => [plural, singular]),
);

/** Split an identifier into lower-case words: snake_case, kebab-case, camelCase, spaces, digits. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** The plural of one English noun (`city` -> `cities`, `box` -> `boxes`, `person` -> `people`). */
export function pluralize(word: string): string {
  const lower = word.toLowerCase();
  if (IRREGULAR_PLURALS[lower]) return IRREGULAR_PLURALS[lower];
  if (IRREGULAR_SINGULARS[lower]) return word;
  if (/[^aeiou]y$/.test(lower)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return isPlural(lower) ? word : `${word}es`;
  if (/[^aeiou]o$/.test(lower) && !/(photo|piano|video|radio|logo)$/.test(lower)) return `${word}es`;
  return `${word}s`;
}

/** The singular of one English noun (`cities` -> `city`, `people` -> `person`); leaves singulars alone. */
export function singularize(word: string): string {
  const lower = word.toLowerCase();
  if (IRREGULAR_SINGULARS[lower]) return IRREGULAR_SINGULARS[lower];
  if (IRREGULAR_PLURALS[lower]) return word;
  if (!isPlural(lower)) return word;
  if (/[^aeiou]ies$/.test(lower)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh|[^aeiou]o|status|campus|bus|virus|census|bonus)es$/.test(lower))
    return word.slice(0, -2);
  return word.slice(0, -1);
}

function isPlural(lower: string): boolean {
  if (IRREGULAR_SINGULARS[lower]) return true;
  if (/(ss|us|is|ics|news)$/.test(lower)) return false;
  return /s$/.test(lower) && lower.length > 2;
}

/** Words of a table name with the last one made plural or singular (`border_info` -> `border infos`). */
export function tableNoun(table: string, form: 'plural' | 'singular'): string {
  const words = splitWords(table);
  if (words.length === 0) return table;
  const last = words.length - 1;
  words[last] = form === 'plural' ? pluralize(singularize(words[last]!)) : singularize(words[last]!);
  return words.join(' ');
}

/**
 * Words of a column, without a leading repeat of its table's name: `city.city_name` -> `name`,
 * `city.state_name` -> `state name`, `singer.Singer_ID` -> `id`.
 */
export function columnWords(table: string, column: string): string {
  const words = splitWords(column);
  const tableWords = splitWords(table).map((word) => singularize(word));
  let start = 0;
  while (start < tableWords.length && words[start] && singularize(words[start]!) === tableWords[start])
    start++;
  const rest = start === tableWords.length && start < words.length ? words.slice(start) : words;
  const text = rest.join(' ');
  return text.length > 0 ? text : column;
}

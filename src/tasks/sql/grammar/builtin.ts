/**
 * Built-in seed rules: question–SQL templates written from general English (not from any benchmark),
 * instantiated on the user's schema, in the spirit of GraPPa's seed grammar (Yu et al. 2021, which
 * wrote its synchronous rules from Spider's question templates). Ten demonstrations show a few
 * shapes; these rules add the shapes people ask of any database of named things (an attribute of one,
 * the ones in another, how many, the largest, the one with the most, those over a number, those next
 * to one), in plain words, so a model trained on the data sees more than the demonstrations' shapes.
 *
 * The schema is read for roles, not names: an *entity* table holds things named by its own name
 * column (`city.city_name`); a *link* column holds names of another entity, many rows to one
 * (`city.state_name`, `river.traverse`); a *relation* table has two links to the same entity and no
 * name of its own (`border_info`); a *property* table has one link and no name (`highlow`); a
 * *measure* is a declared-numeric column (`population`, `area`), and its words pick the adjectives
 * ("largest", "longest", "highest") from a small lexicon, with "with the highest X" for the rest.
 * Each instantiated template is a {@link GrammarRule} whose value slots `fill.ts` fills with the
 * column's values; the program is executed and kept only when non-degenerate, like any rule.
 */
import type Database from 'better-sqlite3';
import type { SqlSchema, SqlTable } from '../schema.js';
import { createDomain, type Domain } from './fill.js';
import {
  columnPhrase,
  type GrammarRule,
  ownName,
  type Piece,
  type ProgramPiece,
  type Slot,
} from './induce.js';
import { nounForms, wordsOf } from './words.js';

/** A built-in rule, with the share of its template's draws it gets (its phrasings split one share). */
export interface BuiltinRule {
  readonly rule: GrammarRule;
  readonly weight: number;
}

interface Entity {
  readonly table: string;
  readonly name: string;
  readonly one: string;
  readonly many: string;
  /** The own name repeats (a river has one row per state it crosses): lists use DISTINCT. */
  readonly repeats: boolean;
  readonly measures: readonly string[];
  /** Columns that are neither the name, nor a link, nor constant. */
  readonly attributes: readonly string[];
}

interface Link {
  readonly table: string;
  readonly column: string;
  readonly to: Entity;
}

/** How people say more and less of a measure, by the words of its name. */
const LEXICON: readonly {
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

function words(table: string, column: string): string {
  return columnPhrase(table, column).join(' ');
}

function lexiconOf(table: string, column: string) {
  const phrase = words(table, column);
  return LEXICON.find((entry) => entry.words.test(phrase));
}

/** Adjectives for the most and the least of a measure ("longest" / "shortest"). */
function adjectives(table: string, column: string, most: boolean): readonly string[] {
  const entry = lexiconOf(table, column);
  return entry ? (most ? entry.most : entry.least) : [];
}

/** "with the highest population density" phrasings. */
function withThe(table: string, column: string, most: boolean): string[] {
  const phrase = words(table, column);
  return (most ? GENERIC_MOST : GENERIC_LEAST).slice(0, 2).map((adjective) => `${adjective} ${phrase}`);
}

/** The measure "large" means of an entity: its area or size, else its population. */
function sizeOf(entity: Entity): string | undefined {
  const sizes = entity.measures.filter((measure) => lexiconOf(entity.table, measure)?.size);
  return sizes.find((measure) => lexiconOf(entity.table, measure) === LEXICON[0]) ?? sizes[0];
}

/** Read the roles of a schema's tables and columns (see the module's comment). */
function readRoles(domain: Domain, db: Database.Database) {
  const entities = new Map<string, Entity>();
  const distinct = (table: string, column: string): { rows: number; distinct: number } => {
    try {
      const counted = db
        .prepare(
          `SELECT count(${q(column)}) AS rows, count(DISTINCT ${q(column)}) AS different FROM ${q(table)}`,
        )
        .get() as { rows: number; different: number };
      return { rows: counted.rows, distinct: counted.different };
    } catch {
      return { rows: 0, distinct: 0 };
    }
  };
  for (const table of domain.tables) {
    // the table's own name column (`city.city_name`), else a unique `name` or `title` (`singer.Name`)
    const ownColumn = table.columns.find(
      (column) =>
        ownName(table.name, column.name) &&
        !domain.column(table.name, column.name)?.numeric &&
        !keyLike(table, column.name),
    );
    const own =
      ownColumn && domain.entity(table.name)
        ? ownColumn
        : ownColumn
          ? undefined
          : table.columns.find((column) => {
              const parts = wordsOf(column.name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' '));
              // `name` alone: `state_name` in a table of highs and lows names a state, not the row
              if (parts.length !== 1 || !['name', 'title'].includes(parts[0]!)) return false;
              if (domain.column(table.name, column.name)?.numeric) return false;
              const counts = distinct(table.name, column.name);
              return counts.rows > 1 && counts.distinct >= counts.rows * 0.8;
            });
    if (!own) continue;
    const forms = nounForms(table.name);
    if (forms.singular.length === 0 || domain.values(table.name, own.name, 'string').length < 2) continue;
    const counts = distinct(table.name, own.name);
    entities.set(table.name, {
      table: table.name,
      name: own.name,
      one: forms.singular.join(' '),
      many: forms.plural.join(' '),
      repeats: counts.distinct < counts.rows,
      measures: [],
      attributes: [],
    });
  }
  const names = new Map(
    [...entities.values()].map((entity) => [
      entity.table,
      new Set(domain.values(entity.table, entity.name, 'string')),
    ]),
  );
  const found: { table: string; column: string; to: string }[] = [];
  for (const table of domain.tables) {
    const entity = entities.get(table.name);
    const measures: string[] = [];
    const attributes: string[] = [];
    for (const column of table.columns) {
      if (entity && column.name === entity.name) continue;
      const info = domain.column(table.name, column.name)!;
      const values = domain.values(table.name, column.name, info.numeric ? 'number' : 'string');
      if (values.length < 2) continue;
      // a link: most of its values name another entity; in a table of named things they also repeat
      // (many cities to one state; a state's capital is an attribute, not a link)
      let linked: string | undefined;
      if (!info.numeric) {
        const counts = distinct(table.name, column.name);
        for (const other of entities.values()) {
          if (other.table === table.name) continue;
          const known = names.get(other.table)!;
          const share = values.filter((value) => known.has(value)).length / values.length;
          if (share >= 0.5 && (!entity || counts.distinct < counts.rows * 0.8)) linked = other.table;
        }
      }
      if (!linked && (columnPhrase(table.name, column.name).length === 0 || keyLike(table, column.name)))
        continue;
      if (linked) found.push({ table: table.name, column: column.name, to: linked });
      else if (info.numeric) measures.push(column.name);
      else attributes.push(column.name);
    }
    if (entity) entities.set(table.name, { ...entity, measures, attributes: [...measures, ...attributes] });
  }
  // links point at the entities as finished (with their measures)
  const links: Link[] = found.map((link) => ({ ...link, to: entities.get(link.to)! }));
  const relations: { table: string; from: string; to: string; entity: Entity }[] = [];
  const properties: { link: Link; attributes: string[] }[] = [];
  for (const table of domain.tables) {
    if (entities.has(table.name)) continue;
    const own = links.filter((link) => link.table === table.name);
    if (own.length === 2 && own[0]!.to === own[1]!.to)
      relations.push({ table: table.name, from: own[0]!.column, to: own[1]!.column, entity: own[0]!.to });
    else if (own.length === 1) {
      const attributes = table.columns
        .map((column) => column.name)
        .filter(
          (column) =>
            column !== own[0]!.column &&
            columnPhrase(table.name, column).length > 0 &&
            domain.values(
              table.name,
              column,
              domain.column(table.name, column)!.numeric ? 'number' : 'string',
            ).length > 1,
        );
      if (attributes.length > 0) properties.push({ link: own[0]!, attributes });
    }
  }
  // declared keys between named things (`employee.company_id` -> `company.id`): joined by the key
  const keyed: { table: string; column: string; to: Entity; refColumn: string }[] = [];
  for (const table of domain.tables) {
    if (!entities.has(table.name)) continue;
    for (const key of table.foreignKeys) {
      const to =
        entities.get(key.refTable) ??
        [...entities.values()].find((entity) => entity.table.toLowerCase() === key.refTable.toLowerCase());
      if (!to || to.table === table.name || !domain.column(to.table, key.refColumn)) continue;
      keyed.push({ table: table.name, column: key.column, to, refColumn: key.refColumn });
    }
  }
  return {
    entities: [...entities.values()],
    links: links.filter((link) => entities.has(link.table)),
    keyed,
    relations,
    properties,
  };
}

/** Keys and codes are not things people ask the largest of (`Singer_ID`, `zip_code`, a primary key). */
function keyLike(table: SqlTable, column: string): boolean {
  const parts = wordsOf(column.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' '));
  const last = parts[parts.length - 1] ?? '';
  return (
    ['id', 'ids', 'code', 'zip', 'phone', 'key', 'no', 'fax', 'email', 'url'].includes(last) ||
    (table.columns.find((entry) => entry.name === column)?.primaryKey ?? 0) > 0 ||
    table.foreignKeys.some((key) => key.column === column)
  );
}

/** `a` or `an` before a phrase. */
function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? 'an' : 'a';
}

function q(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function ident(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : q(name);
}

/** `table.column`, quoted where needed. */
function col(table: string, column: string): string {
  return `${ident(table)}.${ident(column)}`;
}

/**
 * The built-in rules of one database: every template instantiated on every fitting role, each
 * phrasing one rule. Slots are written `{0}`, `{1}` in both the question and the program, with the
 * column each is drawn from.
 */
export function builtinRules(db: Database.Database, schema: SqlSchema): BuiltinRule[] {
  const domain = createDomain(db, schema);
  const roles = readRoles(domain, db);
  const rules: BuiltinRule[] = [];
  const add = (
    template: string,
    phrasings: readonly string[],
    program: string,
    slots: readonly { table: string; column: string }[] = [],
    share = 1,
  ) => {
    const unique = [...new Set(phrasings)];
    for (const [at, phrasing] of unique.entries())
      rules.push({
        rule: makeRule(`builtin:${template}#${at}`, phrasing, program, slots, domain),
        weight: share / unique.length,
      });
  };
  for (const entity of roles.entities) {
    const { table, one, many } = entity;
    const name = col(table, entity.name);
    const list = `SELECT ${entity.repeats ? 'DISTINCT ' : ''}${name} FROM ${ident(table)}`;
    const count = `SELECT count(${entity.repeats ? 'DISTINCT ' : ''}${name}) FROM ${ident(table)}`;
    const own = [{ table, column: entity.name }];
    add(
      `list-all:${table}`,
      [`list all the ${many}`, `what are all the ${many}`, `give me all ${many}`, `name all the ${many}`],
      list,
    );
    add(
      `count-all:${table}`,
      [`how many ${many} are there`, `what is the number of ${many}`, `count the ${many}`],
      count,
    );
    // an attribute of one named thing
    for (const attribute of entity.attributes) {
      const phrase = words(table, attribute);
      const how = lexiconOf(table, attribute)?.how ?? [];
      add(
        `attribute:${table}.${attribute}`,
        [
          `what is the ${phrase} of {0}`,
          `what is the ${phrase} of the ${one} {0}`,
          `give me the ${phrase} of {0}`,
          `tell me the ${phrase} of {0}`,
          `what is {0}'s ${phrase}`,
          ...how.map((words) => `${words} {0}`),
        ],
        `SELECT ${col(table, attribute)} FROM ${ident(table)} WHERE ${name} = {0}`,
        own,
      );
    }
    // the largest, the longest: over all, of one attribute, and of the measure itself
    for (const measure of entity.measures) {
      for (const most of [true, false]) {
        const adjectivesOf = adjectives(table, measure, most);
        const generic = withThe(table, measure, most);
        const best = `${col(table, measure)} = (SELECT ${most ? 'max' : 'min'}(${col(table, measure)}) FROM ${ident(table)})`;
        const tag = `${table}.${measure}:${most ? 'max' : 'min'}`;
        add(
          `superlative:${tag}`,
          [
            ...adjectivesOf.flatMap((adjective) => [
              `what is the ${adjective} ${one}`,
              `which ${one} is the ${adjective}`,
              `${adjective} ${one}`,
            ]),
            ...generic.flatMap((phrase) => [
              `which ${one} has the ${phrase}`,
              `what ${one} has the ${phrase}`,
            ]),
          ],
          `SELECT ${name} FROM ${ident(table)} WHERE ${best}`,
        );
        add(
          `superlative-value:${tag}`,
          [
            ...adjectivesOf.map(
              (adjective) => `what is the ${words(table, measure)} of the ${adjective} ${one}`,
            ),
            `what is the ${most ? 'highest' : 'lowest'} ${words(table, measure)} of any ${one}`,
          ],
          `SELECT ${most ? 'max' : 'min'}(${col(table, measure)}) FROM ${ident(table)}`,
        );
        for (const attribute of entity.attributes) {
          if (attribute === measure) continue;
          const phrase = words(table, attribute);
          add(
            `attribute-of-superlative:${tag}:${attribute}`,
            [
              ...adjectivesOf.map((adjective) => `what is the ${phrase} of the ${adjective} ${one}`),
              ...generic.map((words) => `what is the ${phrase} of the ${one} with the ${words}`),
            ],
            `SELECT ${col(table, attribute)} FROM ${ident(table)} WHERE ${best}`,
          );
        }
      }
      // over a number drawn from the column (whole numbers only: nobody asks for a density over 4.8007545)
      const phrase = words(table, measure);
      if (domain.values(table, measure, 'number').every((value) => /^-?\d+$/.test(value))) {
        add(
          `over:${table}.${measure}`,
          [
            `which ${many} have ${article(phrase)} ${phrase} greater than {0}`,
            `${many} with ${phrase} over {0}`,
            `what ${many} have ${article(phrase)} ${phrase} above {0}`,
          ],
          `SELECT ${name} FROM ${ident(table)} WHERE ${col(table, measure)} > {0}`,
          [{ table, column: measure }],
          0.5,
        );
        add(
          `under:${table}.${measure}`,
          [
            `which ${many} have ${article(phrase)} ${phrase} less than {0}`,
            `${many} with ${phrase} under {0}`,
          ],
          `SELECT ${name} FROM ${ident(table)} WHERE ${col(table, measure)} < {0}`,
          [{ table, column: measure }],
          0.5,
        );
      }
      add(
        `average:${table}.${measure}`,
        [`what is the average ${phrase} of ${many}`, `what is the average ${phrase} of all ${many}`],
        `SELECT avg(${col(table, measure)}) FROM ${ident(table)}`,
        [],
        0.5,
      );
    }
    // "the largest city": the measure that says how large a thing is
    const size = sizeOf(entity);
    if (size && !adjectives(table, size, true).includes('largest')) {
      for (const most of [true, false])
        add(
          `size:${table}.${size}:${most ? 'max' : 'min'}`,
          (most ? ['largest', 'biggest'] : ['smallest']).flatMap((adjective) => [
            `what is the ${adjective} ${one}`,
            `which ${one} is the ${adjective}`,
            `${adjective} ${one}`,
          ]),
          `SELECT ${name} FROM ${ident(table)} WHERE ${col(table, size)} = (SELECT ${most ? 'max' : 'min'}(${col(table, size)}) FROM ${ident(table)})`,
        );
    }
  }
  // things in another thing: cities in a state, rivers through one
  for (const link of roles.links) {
    const entity = roles.entities.find((candidate) => candidate.table === link.table)!;
    const { table, one, many } = entity;
    const name = col(table, entity.name);
    const where = `${col(table, link.column)} = {0}`;
    const slot = [{ table, column: link.column }];
    const distinct = entity.repeats ? 'DISTINCT ' : '';
    const through = /\b(traverse|through|cross|route|path)/.test(link.column)
      ? [`what ${many} run through {0}`, `which ${many} flow through {0}`]
      : [];
    add(
      `in:${table}.${link.column}`,
      [
        `what ${many} are in {0}`,
        `which ${many} are in {0}`,
        `${many} in {0}`,
        `give me the ${many} in {0}`,
        `list the ${many} in {0}`,
        `what are the ${many} in {0}`,
        ...through,
      ],
      `SELECT ${distinct}${name} FROM ${ident(table)} WHERE ${where}`,
      slot,
    );
    add(
      `count-in:${table}.${link.column}`,
      [
        `how many ${many} are in {0}`,
        `how many ${many} are there in {0}`,
        `how many ${many} does {0} have`,
        `what is the number of ${many} in {0}`,
      ],
      `SELECT count(${distinct}${name}) FROM ${ident(table)} WHERE ${where}`,
      slot,
    );
    // where one thing is
    const other = link.to;
    add(
      `where:${table}.${link.column}`,
      [
        `which ${other.one} is {0} in`,
        `what ${other.one} is {0} in`,
        `where is {0}`,
        `in which ${other.one} is {0}`,
        `which ${other.many} have ${many} named {0}`,
      ],
      `SELECT ${col(table, link.column)} FROM ${ident(table)} WHERE ${name} = {0}`,
      [{ table, column: entity.name }],
    );
    // the one with the most things in it
    for (const most of [true, false])
      add(
        `most-in:${table}.${link.column}:${most ? 'max' : 'min'}`,
        [
          `which ${other.one} has the ${most ? 'most' : 'fewest'} ${many}`,
          `what ${other.one} has the ${most ? 'most' : 'fewest'} ${many}`,
        ],
        `SELECT ${col(table, link.column)} FROM ${ident(table)} GROUP BY ${col(table, link.column)} ORDER BY count(*)${most ? ' DESC' : ''} LIMIT 1`,
      );
    if (entity.repeats)
      add(
        `spans-most:${table}.${link.column}`,
        [
          `which ${one} goes through the most ${other.many}`,
          `what ${one} runs through the most ${other.many}`,
        ],
        `SELECT ${name} FROM ${ident(table)} GROUP BY ${name} ORDER BY count(DISTINCT ${col(table, link.column)}) DESC LIMIT 1`,
      );
    // the largest of those in one place, and those in the largest place
    for (const measure of entity.measures)
      for (const most of [true, false]) {
        const adjectivesOf = [...adjectives(table, measure, most)];
        const large = most ? 'largest' : 'smallest';
        if (sizeOf(entity) === measure && !adjectivesOf.includes(large)) adjectivesOf.push(large);
        add(
          `superlative-in:${table}.${link.column}.${measure}:${most ? 'max' : 'min'}`,
          [
            ...adjectivesOf.flatMap((adjective) => [
              `what is the ${adjective} ${one} in {0}`,
              `${adjective} ${one} in {0}`,
            ]),
            ...withThe(table, measure, most).map((phrase) => `which ${one} in {0} has the ${phrase}`),
          ],
          `SELECT ${name} FROM ${ident(table)} WHERE ${where} AND ${col(table, measure)} = (SELECT ${most ? 'max' : 'min'}(${col(table, measure)}) FROM ${ident(table)} WHERE ${where})`,
          slot,
        );
      }
    for (const measure of other.measures)
      for (const most of [true, false]) {
        const adjectivesOf = adjectives(other.table, measure, most);
        const inner = `SELECT ${col(other.table, other.name)} FROM ${ident(other.table)} WHERE ${col(other.table, measure)} = (SELECT ${most ? 'max' : 'min'}(${col(other.table, measure)}) FROM ${ident(other.table)})`;
        add(
          `in-superlative:${table}.${link.column}:${other.table}.${measure}:${most ? 'max' : 'min'}`,
          [
            ...adjectivesOf.map((adjective) => `what ${many} are in the ${adjective} ${other.one}`),
            ...withThe(other.table, measure, most).map(
              (phrase) => `${many} in the ${other.one} with the ${phrase}`,
            ),
          ],
          `SELECT ${distinct}${name} FROM ${ident(table)} WHERE ${col(table, link.column)} IN (${inner})`,
        );
      }
  }
  // a property of a place kept in its own table (the highest point of a state)
  for (const { link, attributes } of roles.properties) {
    const other = link.to;
    for (const attribute of attributes) {
      const phrase = words(link.table, attribute);
      add(
        `property:${link.table}.${attribute}`,
        [
          `what is the ${phrase} of {0}`,
          `what is the ${phrase} in {0}`,
          `what is {0}'s ${phrase}`,
          `give me the ${phrase} of {0}`,
        ],
        `SELECT ${col(link.table, attribute)} FROM ${ident(link.table)} WHERE ${col(link.table, link.column)} = {0}`,
        [{ table: link.table, column: link.column }],
      );
      for (const measure of other.measures)
        for (const most of [true, false])
          add(
            `property-of-superlative:${link.table}.${attribute}:${other.table}.${measure}:${most ? 'max' : 'min'}`,
            [
              ...adjectives(other.table, measure, most).map(
                (adjective) => `what is the ${phrase} of the ${adjective} ${other.one}`,
              ),
              ...withThe(other.table, measure, most).map(
                (words) => `what is the ${phrase} of the ${other.one} with the ${words}`,
              ),
            ],
            `SELECT ${col(link.table, attribute)} FROM ${ident(link.table)} WHERE ${col(link.table, link.column)} IN (SELECT ${col(other.table, other.name)} FROM ${ident(other.table)} WHERE ${col(other.table, measure)} = (SELECT ${most ? 'max' : 'min'}(${col(other.table, measure)}) FROM ${ident(other.table)}))`,
          );
    }
  }
  // things that belong to another by a declared key (the employees of a company)
  for (const key of roles.keyed) {
    const entity = roles.entities.find((candidate) => candidate.table === key.table)!;
    const other = key.to;
    const join = `${ident(entity.table)} JOIN ${ident(other.table)} ON ${col(entity.table, key.column)} = ${col(other.table, key.refColumn)}`;
    const name = col(entity.table, entity.name);
    const otherName = col(other.table, other.name);
    const slot = [{ table: other.table, column: other.name }];
    add(
      `of:${entity.table}.${key.column}`,
      [
        `what are the ${entity.many} of {0}`,
        `list the ${entity.many} of the ${other.one} {0}`,
        `which ${entity.many} belong to {0}`,
        `${entity.many} of {0}`,
      ],
      `SELECT ${name} FROM ${join} WHERE ${otherName} = {0}`,
      slot,
    );
    add(
      `count-of:${entity.table}.${key.column}`,
      [
        `how many ${entity.many} does {0} have`,
        `how many ${entity.many} does the ${other.one} {0} have`,
        `what is the number of ${entity.many} of {0}`,
      ],
      `SELECT count(*) FROM ${join} WHERE ${otherName} = {0}`,
      slot,
    );
    add(
      `owner:${entity.table}.${key.column}`,
      [
        `which ${other.one} does {0} belong to`,
        `what is the ${other.one} of {0}`,
        `what ${other.one} is {0} of`,
      ],
      `SELECT ${otherName} FROM ${join} WHERE ${name} = {0}`,
      [{ table: entity.table, column: entity.name }],
    );
    for (const most of [true, false])
      add(
        `most-of:${entity.table}.${key.column}:${most ? 'max' : 'min'}`,
        [
          `which ${other.one} has the ${most ? 'most' : 'fewest'} ${entity.many}`,
          `what ${other.one} has the ${most ? 'most' : 'fewest'} ${entity.many}`,
        ],
        `SELECT ${otherName} FROM ${join} GROUP BY ${col(entity.table, key.column)} ORDER BY count(*)${most ? ' DESC' : ''} LIMIT 1`,
      );
  }
  // things next to each other (states that border a state)
  for (const relation of roles.relations) {
    const verb = nounForms(relation.table).singular.join(' ');
    const { entity } = relation;
    const from = col(relation.table, relation.from);
    const to = col(relation.table, relation.to);
    const slot = [{ table: relation.table, column: relation.from }];
    add(
      `relation:${relation.table}`,
      [
        `which ${entity.many} ${verb} {0}`,
        `what ${entity.many} ${verb} {0}`,
        `give me the ${entity.many} that ${verb} {0}`,
        `${entity.many} that ${verb} {0}`,
      ],
      `SELECT ${to} FROM ${ident(relation.table)} WHERE ${from} = {0}`,
      slot,
    );
    add(
      `relation-count:${relation.table}`,
      [`how many ${entity.many} ${verb} {0}`, `how many ${entity.many} does {0} ${verb}`],
      `SELECT count(${to}) FROM ${ident(relation.table)} WHERE ${from} = {0}`,
      slot,
    );
    add(
      `relation-most:${relation.table}`,
      [
        `which ${entity.one} ${verb}s the most ${entity.many}`,
        `what ${entity.one} ${verb}s the most ${entity.many}`,
      ],
      `SELECT ${from} FROM ${ident(relation.table)} GROUP BY ${from} ORDER BY count(*) DESC LIMIT 1`,
    );
    for (const measure of entity.measures)
      for (const most of [true, false]) {
        const inner = `SELECT ${col(entity.table, entity.name)} FROM ${ident(entity.table)} WHERE ${col(entity.table, measure)} = (SELECT ${most ? 'max' : 'min'}(${col(entity.table, measure)}) FROM ${ident(entity.table)})`;
        add(
          `relation-superlative:${relation.table}:${entity.table}.${measure}:${most ? 'max' : 'min'}`,
          [
            ...adjectives(entity.table, measure, most).map(
              (adjective) => `which ${entity.many} ${verb} the ${adjective} ${entity.one}`,
            ),
            ...withThe(entity.table, measure, most).map(
              (words) => `what ${entity.many} ${verb} the ${entity.one} with the ${words}`,
            ),
          ],
          `SELECT ${to} FROM ${ident(relation.table)} WHERE ${from} IN (${inner})`,
        );
      }
    // things in the neighbours of one (rivers in the states that border texas)
    for (const link of roles.links.filter((candidate) => candidate.to === entity)) {
      const inside = roles.entities.find((candidate) => candidate.table === link.table)!;
      add(
        `in-relation:${link.table}.${link.column}:${relation.table}`,
        [
          `what ${inside.many} are in the ${entity.many} that ${verb} {0}`,
          `${inside.many} in the ${entity.many} that ${verb} {0}`,
        ],
        `SELECT DISTINCT ${col(inside.table, inside.name)} FROM ${ident(inside.table)} WHERE ${col(link.table, link.column)} IN (SELECT ${to} FROM ${ident(relation.table)} WHERE ${from} = {0})`,
        slot,
      );
    }
  }
  return rules;
}

/** One rule from a phrasing and a program with `{n}` slots drawn from the given columns. */
function makeRule(
  id: string,
  phrasing: string,
  program: string,
  columns: readonly { table: string; column: string }[],
  domain: Domain,
): GrammarRule {
  const slots: Slot[] = columns.map(({ table, column }) => ({
    kind: 'value',
    table,
    column,
    type: domain.column(table, column)?.numeric ? 'number' : 'string',
    original: 'x',
    surface: 'x',
  }));
  const split = <T>(text: string, make: (slot: number) => T): (string | T)[] =>
    text
      .split(/(\{\d+\})/)
      .filter((piece) => piece !== '')
      .map((piece) => {
        const match = /^\{(\d+)\}$/.exec(piece);
        return match ? make(Number(match[1])) : piece;
      });
  const question: Piece[] = split(phrasing, (slot) => ({ slot }));
  const pieces: ProgramPiece[] = split(program, (slot) => ({ slot })).map((piece) =>
    typeof piece === 'string' ? piece.trim() : piece,
  );
  return {
    source: { id, question: phrasing.replace(/\{\d+\}/g, 'x'), program: program.replace(/\{\d+\}/g, "'x'") },
    slots,
    question,
    program: pieces,
    builtin: true,
  };
}

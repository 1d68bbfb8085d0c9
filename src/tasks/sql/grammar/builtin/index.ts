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
import type { SqlSchema } from '../../schema.js';
import { createDomain, type Domain, identifier as ident } from '../fill.js';
import type { GrammarRule, Piece, ProgramPiece, Slot } from '../induce.js';
import { nounForms } from '../words.js';
import { adjectives, article, lexiconOf, sizeOf, withThe, words } from './lexicon.js';
import { readRoles } from './roles.js';

/** A built-in rule, with the share of its template's draws it gets (its phrasings split one share). */
export interface BuiltinRule {
  readonly rule: GrammarRule;
  readonly weight: number;
}

/** `table.column`, quoted where needed. */
function col(table: string, column: string): string {
  return `${ident(table)}.${ident(column)}`;
}

/**
 * The built-in rules of one database: every template instantiated on every fitting role, each
 * phrasing one rule. Slots are written `{0}`, `{1}` in both the question and the program, with the
 * column each is drawn from. `domain` is the database's, when the caller already has it.
 */
export function builtinRules(
  db: Database.Database,
  schema: SqlSchema,
  domain: Domain = createDomain(db, schema),
): BuiltinRule[] {
  const roles = readRoles(domain);
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
    // questions over all the rows may name what they all are in ("the largest city in usa")
    const scoped = (phrasings: readonly string[]) =>
      entity.scope
        ? [
            ...phrasings,
            ...phrasings.flatMap((phrasing) => [
              `${phrasing} in ${entity.scope}`,
              `${phrasing} in the ${entity.scope}`,
            ]),
          ]
        : phrasings;
    add(
      `list-all:${table}`,
      scoped([
        `list all the ${many}`,
        `what are all the ${many}`,
        `give me all ${many}`,
        `name all the ${many}`,
      ]),
      list,
    );
    add(
      `count-all:${table}`,
      scoped([`how many ${many} are there`, `what is the number of ${many}`, `count the ${many}`]),
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
          scoped([
            ...adjectivesOf.flatMap((adjective) => [
              `what is the ${adjective} ${one}`,
              `which ${one} is the ${adjective}`,
              `${adjective} ${one}`,
            ]),
            ...generic.flatMap((phrase) => [
              `which ${one} has the ${phrase}`,
              `what ${one} has the ${phrase}`,
            ]),
          ]),
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
          scoped(
            (most ? ['largest', 'biggest'] : ['smallest']).flatMap((adjective) => [
              `what is the ${adjective} ${one}`,
              `which ${one} is the ${adjective}`,
              `${adjective} ${one}`,
            ]),
          ),
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

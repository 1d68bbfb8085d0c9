import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { geoQueryDemos, seeded } from '../../../../test/grammar-demos.js';
import { GEOGRAPHY_DB, SPIDER_DATABASES } from '../../../../test/shared-data.js';
import { openReadOnly, readSqliteSchema } from '../schema.js';
import { type BuiltinRule, builtinRules } from './builtin/index.js';
import { createDomain, expandGrammar, type FilledRun } from './fill.js';
import { generateFromDemonstrations } from './from-demonstrations.js';
import { nounForms, wordsOf } from './words.js';

const demos = geoQueryDemos(10);

/** Built-in rules expanded over `db` with their weights: the first `limit` pairs, or all of them. */
function expandBuiltins(
  db: ReturnType<typeof openReadOnly>,
  schema: ReturnType<typeof readSqliteSchema>,
  rules: readonly BuiltinRule[],
  seed: number,
  limit = Number.POSITIVE_INFINITY,
) {
  const pairs = [];
  for (const pair of expandGrammar({
    rules: rules.map((entry) => entry.rule),
    ruleWeight: (index) => rules[index]!.weight,
    db,
    schema,
    random: seeded(seed),
    run: runner(db),
  })) {
    pairs.push(pair);
    if (pairs.length >= limit) break;
  }
  return pairs;
}

function runner(db: ReturnType<typeof openReadOnly>) {
  return (sql: string): FilledRun => {
    try {
      const rows = db.prepare(sql).raw(true).all() as unknown[][];
      return { status: 'ok', rows: rows.length, preview: rows.slice(0, 5) };
    } catch {
      return { status: 'error', rows: 0, preview: [] };
    }
  };
}

describe('built-in question shapes instantiated on a schema', () => {
  const db = openReadOnly(GEOGRAPHY_DB);
  const schema = readSqliteSchema(db);
  afterAll(() => db.close());

  it('reads the roles of GeoQuery: named things, links, a relation, a property table, measures', () => {
    const rules = builtinRules(db, schema);
    const templates = new Set(rules.map((entry) => entry.rule.source.id.split('#')[0]));
    for (const expected of [
      'builtin:list-all:state',
      'builtin:attribute:state.capital',
      // cities are in a state by city.state_name; rivers by river.traverse
      'builtin:in:city.state_name',
      'builtin:in:river.traverse',
      'builtin:count-in:city.state_name',
      'builtin:most-in:river.traverse:max',
      // border_info: two links to state, no name of its own
      'builtin:relation:border_info',
      // highlow: one link to state, attributes of its own
      'builtin:property:highlow.highest_point',
      'builtin:superlative:state.area:max',
      'builtin:superlative-in:city.state_name.population:max',
    ])
      expect(templates).toContain(expected);
    // the capital is an attribute (one per state), not a link to the city table
    expect(templates).not.toContain('builtin:in:state.capital');
    const phrasing = (question: string) =>
      rules.find((entry) => entry.rule.source.question === question)?.rule;
    // "largest" means area where there is one, population where there is not
    expect(phrasing('what is the largest state')?.source.program).toBe(
      'SELECT state.state_name FROM state WHERE state.area = (SELECT max(state.area) FROM state)',
    );
    expect(phrasing('what is the largest city')?.source.program).toContain('max(city.population)');
    // country_name holds 'usa' on every row: questions over all the rows may say so
    expect(phrasing('what is the largest state in the usa')?.source.program).toBe(
      phrasing('what is the largest state')?.source.program,
    );
    expect(phrasing('how many rivers are there in usa')?.source.program).toBe(
      'SELECT count(DISTINCT river.river_name) FROM river',
    );
    expect(phrasing('which states border x')?.source.program).toBe(
      "SELECT border_info.border FROM border_info WHERE border_info.state_name = 'x'",
    );
    // each template's phrasings share one weight
    const weight = rules
      .filter((entry) => entry.rule.source.id.startsWith('builtin:in:city.state_name#'))
      .reduce((sum, entry) => sum + entry.weight, 0);
    expect(weight).toBeCloseTo(1);
  });

  it('fills its slots with the database values: every pair runs, is not empty, and says its value', () => {
    const rules = builtinRules(db, schema);
    const pairs = expandBuiltins(db, schema, rules, 11, 400);
    expect(pairs).toHaveLength(400);
    const shapes = new Set(pairs.map((pair) => pair.rule.split('#')[0]!.split(':')[1]));
    expect(shapes.size).toBeGreaterThanOrEqual(20);
    for (const pair of pairs) {
      expect(pair.result.rows).toBeGreaterThan(0);
      const value = pair.fills.map((fill) => fill.split('->')[1]!).find(Boolean);
      if (value) expect(wordsOf(pair.question).join(' ')).toContain(wordsOf(value).join(' '));
    }
    // a pair of "cities in a state" lists the same cities as a query written by hand
    const cities = pairs.find((pair) => pair.rule.startsWith('builtin:in:city.state_name#'))!;
    const state = cities.fills[0]!.split('->')[1]!;
    const expected = db
      .prepare('SELECT DISTINCT city_name FROM city WHERE state_name = ?')
      .pluck()
      .all(state)
      .sort();
    const got = (db.prepare(cities.program).raw(true).all() as unknown[][]).map((row) => row[0]).sort();
    expect(got).toEqual(expected);
    // no question is made twice
    expect(new Set(pairs.map((pair) => pair.question)).size).toBe(pairs.length);
  });

  it('finds named things on Spider databases by their name column, and joins them by declared keys', () => {
    const club = openReadOnly(join(SPIDER_DATABASES, 'club_leader.sqlite'));
    const game = openReadOnly(join(SPIDER_DATABASES, 'video_game.sqlite'));
    try {
      const clubRules = builtinRules(club, readSqliteSchema(club));
      const ids = new Set(clubRules.map((entry) => entry.rule.source.id.split('#')[0]));
      // member.name (not member.member_id) names a member
      expect(ids).toContain('builtin:attribute:member.age');
      expect(
        clubRules.find((entry) => entry.rule.source.id === 'builtin:list-all:member#0')?.rule.source.program,
      ).toBe('SELECT member.name FROM member');
      const gameSchema = readSqliteSchema(game);
      const gameRules = builtinRules(game, gameSchema);
      const keyed = gameRules.filter((entry) =>
        entry.rule.source.id.startsWith('builtin:of:game.platform_id#'),
      );
      expect(keyed.length).toBeGreaterThan(0);
      expect(keyed[0]!.rule.source.program).toBe(
        "SELECT game.title FROM game JOIN platform ON game.platform_id = platform.platform_id WHERE platform.platform_name = 'x'",
      );
      const pairs = expandBuiltins(game, gameSchema, gameRules, 5);
      expect(pairs.length).toBeGreaterThan(20);
      for (const pair of pairs) expect(pair.result.rows).toBeGreaterThan(0);
    } finally {
      club.close();
      game.close();
    }
  });

  it('quotes odd names, and reads a big table from a sample, not whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'symgen-builtin-'));
    const path = join(dir, 'odd.sqlite');
    const writer = new Database(path);
    writer.exec(`
      CREATE TABLE "sales region" ("name" TEXT, "head count" INTEGER);
      CREATE TABLE "sales person" ("name" TEXT, "yearly sales" INTEGER, "sales region" TEXT);
    `);
    const regions = ['north', 'south', 'east', 'west', "o'hare"];
    const addRegion = writer.prepare('INSERT INTO "sales region" VALUES (?, ?)');
    for (const [index, region] of regions.entries()) addRegion.run(region, 10 + index);
    const addPerson = writer.prepare('INSERT INTO "sales person" VALUES (?, ?, ?)');
    writer.transaction(() => {
      for (let i = 0; i < 200_000; i++) addPerson.run(`person ${i}`, (i * 7919) % 100_000, regions[i % 5]);
    })();
    writer.close();
    const db = openReadOnly(path);
    try {
      const schema = readSqliteSchema(db);
      const started = performance.now();
      const rules = builtinRules(db, schema);
      expect(performance.now() - started).toBeLessThan(2000);
      // whether names repeat is read from the first 5000 rows, not from all 200000
      expect(createDomain(db, schema).counts('sales person', 'sales region')).toEqual({
        rows: 5000,
        distinct: 5,
      });
      const ids = new Set(rules.map((entry) => entry.rule.source.id.split('#')[0]));
      expect(ids).toContain('builtin:in:sales person.sales region');
      const pairs = expandBuiltins(db, schema, rules, 3, 60);
      expect(pairs.length).toBe(60);
      for (const pair of pairs) expect(pair.result.rows).toBeGreaterThan(0);
      expect(pairs.some((pair) => pair.program.includes('"sales person"."yearly sales"'))).toBe(true);
      expect(pairs.some((pair) => /sales people|sales persons/.test(pair.question))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('reads plural table names as plural nouns', () => {
    expect(nounForms('countries')).toEqual({ singular: ['country'], plural: ['countries'] });
    expect(nounForms('sailors')).toEqual({ singular: ['sailor'], plural: ['sailors'] });
    expect(nounForms('border_info')).toEqual({ singular: ['border'], plural: ['borders'] });
    expect(nounForms('status').singular).toEqual(['status']);
  });
});

describe('offline generation beyond the demonstrations', () => {
  const collect = async (beyond: number, count: number, seed = 3) => {
    const pairs = [];
    for await (const pair of generateFromDemonstrations({
      dbPath: GEOGRAPHY_DB,
      dbId: 'geography',
      demonstrations: demos,
      count,
      seed,
      beyond,
    }))
      pairs.push(pair);
    return pairs;
  };

  it('takes the built-in share it is given, keeps the rest to the demonstrations, and replays the same', async () => {
    const half = await collect(0.5, 80);
    expect(half).toHaveLength(80);
    const builtin = half.filter((pair) => pair.provenance.rule.startsWith('builtin:'));
    expect(builtin).toHaveLength(40);
    // the demonstrations' rules keep the people's words
    const own = half.filter((pair) => !pair.provenance.rule.startsWith('builtin:'));
    expect(own.every((pair) => demos.some((demo) => demo.id === pair.provenance.rule))).toBe(true);
    // shapes no demonstration has: counting, grouping, a relation
    const programs = builtin.map((pair) => pair.program);
    expect(programs.some((program) => /count\(/i.test(program))).toBe(true);
    expect(half.filter((pair) => pair.features.hardness !== 'easy').length).toBeGreaterThan(
      own.filter((pair) => pair.features.hardness !== 'easy').length,
    );
    const again = await collect(0.5, 80);
    expect(again.map((pair) => [pair.question, pair.program])).toEqual(
      half.map((pair) => [pair.question, pair.program]),
    );
    // 0 keeps to the demonstrations
    const none = await collect(0, 40);
    expect(none.filter((pair) => pair.provenance.rule.startsWith('builtin:'))).toHaveLength(0);
  });

  it('with no demonstration that applies, the built-in shapes alone fill the count', async () => {
    const pairs = [];
    for await (const pair of generateFromDemonstrations({
      dbPath: GEOGRAPHY_DB,
      dbId: 'geography',
      demonstrations: [{ id: 'other', question: 'how many singers', program: 'SELECT count(*) FROM singer' }],
      count: 30,
      seed: 1,
      beyond: 0.5,
    }))
      pairs.push(pair);
    expect(pairs).toHaveLength(30);
    expect(pairs.every((pair) => pair.provenance.rule.startsWith('builtin:'))).toBe(true);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { geoQueryDemos, seeded } from '../../../../test/grammar-demos.js';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { openReadOnly, readSqliteSchema } from '../schema.js';
import { expandGrammar, type FilledRun } from './fill.js';
import { columnPhrase, induceGrammar } from './induce.js';
import { wordsOf } from './words.js';

const demos = geoQueryDemos(10);

describe('a synchronous grammar induced from GeoQuery demonstrations', () => {
  const db = openReadOnly(GEOGRAPHY_DB);
  const schema = readSqliteSchema(db);
  const run = (sql: string): FilledRun => {
    try {
      const rows = db.prepare(sql).raw(true).all() as unknown[][];
      return { status: 'ok', rows: rows.length, preview: rows.slice(0, 5) };
    } catch {
      return { status: 'error', rows: 0, preview: [] };
    }
  };
  afterAll(() => db.close());

  it('aligns values, columns and tables of each program with the words of its question', () => {
    const grammar = induceGrammar(demos, schema);
    expect(grammar.rules).toHaveLength(10);
    const capital = grammar.rules[0]!;
    expect(capital.source.question).toBe('can you tell me the capital of texas');
    expect(capital.slots).toMatchObject([
      { kind: 'value', table: 'state', column: 'state_name', original: 'texas', surface: 'texas' },
      { kind: 'column', table: 'state', column: 'capital', surface: 'capital' },
      // texas is named by state's own name column, so the table may change though no word names it
      { kind: 'table', table: 'state', implicit: true, surface: '' },
    ]);
    expect(capital.question).toEqual(['can you tell me the ', { slot: 1 }, ' of ', { slot: 0 }, '']);
    const cities = grammar.rules[3]!;
    expect(cities.slots).toMatchObject([
      { kind: 'value', original: 'texas' },
      { kind: 'table', table: 'city', plural: true, noun: true, surface: 'cities' },
    ]);
    // a pair naming another database's tables gives no rule
    const other = induceGrammar(
      [{ id: 'x', question: 'how many singers', program: 'SELECT count(*) FROM singer' }],
      schema,
    );
    expect(other).toEqual({ rules: [], skipped: [{ id: 'x', reason: 'unknown-schema' }] });
  });

  it('makes new pairs whose programs execute and whose questions keep the demonstration words', () => {
    const grammar = induceGrammar(demos, schema);
    const made = [...expandGrammar({ rules: grammar.rules, db, schema, random: seeded(7), run })].slice(
      0,
      200,
    );
    expect(made.length).toBe(200);
    const demoQuestions = new Set(demos.map((demo) => wordsOf(demo.question).join(' ')));
    for (const example of made) {
      // the program runs and returns rows on the database
      const ran = run(example.program);
      expect(ran.status, example.program).toBe('ok');
      expect(ran.rows, example.program).toBeGreaterThan(0);
      // a new question, made of the source demonstration's words around the filled spans
      expect(demoQuestions.has(wordsOf(example.question).join(' '))).toBe(false);
      const source = demos.find((demo) => demo.id === example.rule)!;
      const kept = wordsOf(source.question).filter((word) => wordsOf(example.question).includes(word));
      expect(
        kept.length / wordsOf(source.question).length,
        `${example.question} <- ${source.question}`,
      ).toBeGreaterThanOrEqual(0.5);
    }
    const capitals = made.filter((example) => example.rule === 'train:1');
    expect(capitals.length).toBeGreaterThan(0);
    const asked = new Set<string>();
    for (const example of capitals) {
      // SELECT t.c FROM t WHERE t.t_name = 'v' <-> can you tell me the <c> of <v>
      const parts = /^SELECT (\w+)\.(\w+) FROM (\w+) WHERE (\w+)\.(\w+) = '([^']+)'$/.exec(example.program);
      expect(parts, example.program).not.toBeNull();
      const [, table, column, from, owner, own, value] = parts!;
      expect([from, owner]).toEqual([table, table]);
      expect(own).toBe(`${table}_name`);
      expect(example.question).toBe(
        `can you tell me the ${columnPhrase(table!, column!).join(' ')} of ${value}`,
      );
      asked.add(`${table}.${column}`);
    }
    // a column only shown may become any column (its type may differ: the population of a state),
    // and the entity another kind (the population of a city, the length of a river)
    expect(asked).toContain('state.capital');
    expect(
      [...asked].filter((name) => name.startsWith('state.') && name !== 'state.capital').length,
    ).toBeGreaterThan(0);
    expect([...asked].filter((name) => !name.startsWith('state.')).length).toBeGreaterThan(0);
    // border_info.border holds state names (references, not names of its own): never an entity to ask about
    expect([...asked].some((name) => name.startsWith('border_info.'))).toBe(false);
    // tables change with their columns: the rivers of a state are read from river.traverse
    const rivers = made.find((example) => /^give me the rivers (which are )?in /.test(example.question));
    expect(rivers?.program).toMatch(/^SELECT river\.river_name FROM river WHERE river\.traverse = '/);
    // the same seed gives the same pairs
    const again = [...expandGrammar({ rules: grammar.rules, db, schema, random: seeded(7), run })].slice(
      0,
      200,
    );
    expect(again.map((example) => example.question)).toEqual(made.map((example) => example.question));
  });
});

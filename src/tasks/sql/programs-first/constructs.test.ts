import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, SPIDER_DATABASES } from '../../../../test/shared-data.js';
import { createRandom } from '../../../random.js';
import { loadSqlParser } from '../parse.js';
import { openReadOnly, readSqliteSchema } from '../schema.js';
import {
  generateProgramsFirst,
  type Program,
  type ProgramsFirstExample,
  profileDatabase,
  realiseQuestion,
  renderSql,
  runProgram,
} from './index.js';

async function collect(
  dbPath: string,
  dbId: string,
  count: number,
  seed = 2,
): Promise<ProgramsFirstExample[]> {
  const examples: ProgramsFirstExample[] = [];
  for await (const example of generateProgramsFirst({ dbPath, dbId, count, seed })) examples.push(example);
  return examples;
}

const CONSTRUCTS: Record<string, (example: ProgramsFirstExample) => boolean> = {
  projection: (example) => !example.features.clauses.includes('aggregate'),
  'filter on a real value': (example) => /WHERE .*(= '|[<>]=? \d)/.test(example.program),
  and: (example) => / AND /.test(example.program),
  or: (example) => / OR /.test(example.program),
  like: (example) => / LIKE '%/.test(example.program),
  join: (example) => example.features.clauses.includes('join'),
  aggregate: (example) => /\b(count|sum|avg|min|max)\(/.test(example.program),
  'group by': (example) => example.features.clauses.includes('group-by'),
  having: (example) => example.features.clauses.includes('having'),
  'order by': (example) => example.features.clauses.includes('order-by'),
  limit: (example) => example.features.clauses.includes('limit'),
  distinct: (example) => /SELECT DISTINCT/.test(example.program),
  in: (example) => / IN \(SELECT/.test(example.program) && !/NOT IN/.test(example.program),
  'not in': (example) => / NOT IN \(SELECT/.test(example.program),
  'scalar subquery': (example) => /[<>] \(SELECT (avg|max|min)\(/.test(example.program),
  exists: (example) => / EXISTS \(SELECT/.test(example.program),
  union: (example) => / UNION SELECT/.test(example.program),
  intersect: (example) => / INTERSECT SELECT/.test(example.program),
  except: (example) => / EXCEPT SELECT/.test(example.program),
};

describe('every construct, on real databases', () => {
  for (const [dbId, path] of [
    ['geography', GEOGRAPHY_DB],
    ['bbc_channels', join(SPIDER_DATABASES, 'bbc_channels.sqlite')],
    ['planet_1', join(SPIDER_DATABASES, 'planet_1.sqlite')],
  ] as const) {
    it(`${dbId}: each construct is produced, executes and is non-empty`, async () => {
      const examples = await collect(path, dbId, 250);
      expect(examples).toHaveLength(250);
      const db = openReadOnly(path);
      try {
        for (const example of examples) {
          const run = runProgram(db, example.program, 100_000);
          expect(run.status, example.program).toBe('ok');
          expect(run.rows).toBe(example.result.rows);
          expect(run.rows).toBeGreaterThan(0);
        }
      } finally {
        db.close();
      }
      const missing = Object.entries(CONSTRUCTS)
        .filter(([, has]) => !examples.some(has))
        .map(([name]) => name);
      expect(missing).toEqual([]);
    });
  }
});

describe('joins', () => {
  beforeAll(() => loadSqlParser());

  it('infers GeoQuery keys from names and values (it declares no foreign keys)', () => {
    const db = openReadOnly(GEOGRAPHY_DB);
    const profile = profileDatabase(db, readSqliteSchema(db), createRandom(1));
    db.close();
    expect(profile.joinsInferred).toBe(true);
    const edges = profile.joins.map((edge) => `${edge.from}.${edge.fromColumn}->${edge.to}.${edge.toColumn}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'border_info.border->state.state_name',
        'river.traverse->state.state_name',
        'city.state_name->state.state_name',
        'lake.state_name->state.state_name',
      ]),
    );
    // numbers never join by value alone; city names repeat (368 names, 386 cities), so no key
    expect(edges.some((edge) => /population|area|length/.test(edge))).toBe(false);
    expect(edges.some((edge) => edge.endsWith('city.city_name'))).toBe(false);
  });

  it('uses the declared foreign keys when there are some', () => {
    const path = join(SPIDER_DATABASES, 'bbc_channels.sqlite');
    const db = openReadOnly(path);
    const profile = profileDatabase(db, readSqliteSchema(db), createRandom(1));
    db.close();
    expect(profile.joinsInferred).toBe(false);
    expect(
      profile.joins.map((edge) => `${edge.from}.${edge.fromColumn}->${edge.to}.${edge.toColumn}`).sort(),
    ).toEqual([
      'director_admin.channel_id->channel.channel_id',
      'director_admin.director_id->director.director_id',
      'program.channel_id->channel.channel_id',
      'program.director_id->director.director_id',
    ]);
  });
});

describe('realiseQuestion', () => {
  const city = { kind: 'select', sources: ['city'], joins: [], distinct: false } as const;
  const cases: [Program, string, string][] = [
    [
      {
        ...city,
        select: [{ kind: 'aggregate', fn: 'count', ref: null }],
        where: {
          connector: 'and',
          predicates: [
            { kind: 'compare', ref: { source: 0, column: 'state_name' }, op: '=', value: 'texas' },
          ],
        },
      },
      "SELECT count(*) FROM city WHERE state_name = 'texas'",
      "How many cities are there whose state name is 'texas'?",
    ],
    [
      {
        ...city,
        select: [{ kind: 'column', ref: { source: 0, column: 'city_name' } }],
        orderBy: { expr: { kind: 'column', ref: { source: 0, column: 'population' } }, direction: 'desc' },
        limit: 1,
      },
      'SELECT city_name FROM city ORDER BY population DESC LIMIT 1',
      'Of the cities, which one has the highest population? Give its name.',
    ],
    [
      {
        ...city,
        select: [{ kind: 'column', ref: { source: 0, column: 'population' } }],
        orderBy: {
          expr: { kind: 'column', ref: { source: 0, column: 'city_name' } },
          direction: 'asc',
          alphabetical: true,
        },
        limit: 3,
      },
      'SELECT population FROM city ORDER BY city_name ASC LIMIT 3',
      'List the population of cities, sorted by name in alphabetical order, giving only the first 3.',
    ],
    [
      {
        kind: 'select',
        sources: ['city', 'state'],
        joins: [{ left: { source: 0, column: 'state_name' }, right: { source: 1, column: 'state_name' } }],
        distinct: false,
        select: [{ kind: 'column', ref: { source: 0, column: 'city_name' } }],
        where: {
          connector: 'or',
          predicates: [
            { kind: 'compare', ref: { source: 1, column: 'area' }, op: '>', value: 1000 },
            { kind: 'like', ref: { source: 1, column: 'capital' }, word: 'ton' },
          ],
        },
      },
      "SELECT T1.city_name FROM city AS T1 JOIN state AS T2 ON T1.state_name = T2.state_name WHERE T2.area > 1000 OR T2.capital LIKE '%ton%'",
      "List the city name of cities together with their states whose state area is greater than 1000 or whose state capital contains 'ton'.",
    ],
    [
      {
        ...city,
        select: [
          { kind: 'column', ref: { source: 0, column: 'state_name' } },
          { kind: 'aggregate', fn: 'avg', ref: { source: 0, column: 'population' } },
        ],
        groupBy: [{ source: 0, column: 'state_name' }],
        having: { expr: { kind: 'aggregate', fn: 'count', ref: null }, op: '>', value: 2 },
      },
      'SELECT state_name, avg(population) FROM city GROUP BY state_name HAVING count(*) > 2',
      'For each state name of cities, give the state name and average population, only for state name values whose number of cities is greater than 2.',
    ],
    [
      {
        kind: 'select',
        sources: ['state'],
        joins: [],
        distinct: false,
        select: [{ kind: 'column', ref: { source: 0, column: 'state_name' } }],
        where: {
          connector: 'and',
          predicates: [
            {
              kind: 'in',
              negated: true,
              ref: { source: 0, column: 'state_name' },
              query: {
                kind: 'select',
                sources: ['river'],
                joins: [],
                distinct: false,
                select: [{ kind: 'column', ref: { source: 0, column: 'traverse' } }],
              },
            },
          ],
        },
      },
      'SELECT state_name FROM state WHERE state_name NOT IN (SELECT traverse FROM river)',
      'List the name of states whose name is not among the traverse values of rivers.',
    ],
    [
      {
        kind: 'select',
        sources: ['state'],
        joins: [],
        distinct: false,
        select: [{ kind: 'column', ref: { source: 0, column: 'state_name' } }],
        where: {
          connector: 'and',
          predicates: [
            {
              kind: 'exists',
              negated: false,
              inner: { source: 0, column: 'state_name' },
              outer: { source: 0, column: 'state_name' },
              query: {
                kind: 'select',
                sources: ['lake'],
                joins: [],
                distinct: false,
                select: [{ kind: 'column', ref: { source: 0, column: 'state_name' } }],
                where: {
                  connector: 'and',
                  predicates: [{ kind: 'compare', ref: { source: 0, column: 'area' }, op: '>', value: 500 }],
                },
              },
            },
          ],
        },
      },
      'SELECT T1.state_name FROM state AS T1 WHERE EXISTS (SELECT T2.state_name FROM lake AS T2 WHERE T2.state_name = T1.state_name AND T2.area > 500)',
      'List the name of states for which there is a lake with the same name and whose area is greater than 500.',
    ],
    [
      {
        kind: 'set',
        op: 'except',
        left: { ...city, select: [{ kind: 'column', ref: { source: 0, column: 'state_name' } }] },
        right: {
          kind: 'select',
          sources: ['lake'],
          joins: [],
          distinct: false,
          select: [{ kind: 'column', ref: { source: 0, column: 'state_name' } }],
        },
      },
      'SELECT state_name FROM city EXCEPT SELECT state_name FROM lake',
      'Which state name values of cities are not state name values of lakes?',
    ],
  ];
  it.each(cases)('renders SQL and a faithful question (%#)', (program, sql, question) => {
    expect(renderSql(program)).toBe(sql);
    expect(realiseQuestion(program)).toBe(question);
    const db = openReadOnly(GEOGRAPHY_DB);
    expect(runProgram(db, sql, 1000).status).toBe('ok');
    db.close();
  });
});

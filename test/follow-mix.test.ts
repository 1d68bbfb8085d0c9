import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateConfigSchema } from '../src/config/index.js';
import { runGenerate } from '../src/generate/pipeline/index.js';
import { loadSqlParser, sqlFeatures } from '../src/tasks/sql/index.js';
import { measureMix, mixDivergence, remainingMix } from '../src/tasks/sql/mix.js';
import { SPIDER_DATABASES } from './shared-data.js';

// The first 10 Spider test questions on country_language: aggregates and ORDER BY in 4 of 10, LIKE in 2.
const DEMOS = [
  ['How many languages are there?', 'SELECT count(*) FROM languages'],
  ['Count the number of languages.', 'SELECT count(*) FROM languages'],
  [
    'List the name of languages in ascending alphabetical order.',
    'SELECT languages.name FROM languages ORDER BY languages.name ASC',
  ],
  [
    'What are the names of languages, in alphabetical order?',
    'SELECT languages.name FROM languages ORDER BY languages.name ASC',
  ],
  [
    'What are the names of languages that contain the word "ish"?',
    "SELECT languages.name FROM languages WHERE languages.name LIKE '%ish%'",
  ],
  [
    'Return the names of langauges that contain the substring "ish".',
    "SELECT languages.name FROM languages WHERE languages.name LIKE '%ish%'",
  ],
  [
    'Show the names of countries in descending order of overall scores.',
    'SELECT countries.name FROM countries ORDER BY countries.overall_score DESC',
  ],
  [
    'What are the names of the countries, ordered descending by overall score?',
    'SELECT countries.name FROM countries ORDER BY countries.overall_score DESC',
  ],
  [
    'What is the average justice scores among countries?',
    'SELECT avg(countries.justice_score) FROM countries',
  ],
  [
    'Give the average justice scores across all countries.',
    'SELECT avg(countries.justice_score) FROM countries',
  ],
];

describe('offline generation follows the demonstrations mix', () => {
  const folder = mkdtempSync(join(tmpdir(), 'symgen-follow-mix-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('stops the grammar when its rules left would pull the mix off, and programs-first fills what is missing', async () => {
    await loadSqlParser();
    const demos = join(folder, 'demos.jsonl');
    writeFileSync(
      demos,
      `${DEMOS.map(([question, query]) => JSON.stringify({ db_id: 'country_language', question, query })).join('\n')}\n`,
    );
    const summary = await runGenerate({
      config: generateConfigSchema.parse({
        count: 30,
        seed: 0,
        knowledge: { db: SPIDER_DATABASES, databases: ['country_language'] },
        demonstrations: { file: demos },
        // the demonstrations' own rules and programs-first only: no built-in shapes beyond them
        generation: { offline: { beyond: 0 } },
        output: { dir: join(folder, 'out') },
      }),
    });
    const lines = readFileSync(summary.files.dataset, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { program: string; provenance: { method: string } });
    expect(lines).toHaveLength(30);
    const grammar = lines.filter((line) => line.provenance.method === 'grammar');
    // both generators took part: the LIKE rule fills many new pairs, the others few
    expect(grammar.length).toBeGreaterThan(5);
    expect(grammar.length).toBeLessThan(30);
    const target = measureMix(DEMOS.map(([, query]) => sqlFeatures(query!)));
    const divergence = mixDivergence(target, measureMix(lines.map((line) => sqlFeatures(line.program))));
    // expanding the rules uniformly gave 0.375 here (LIKE and WHERE in 70% of pairs against 20%)
    expect(divergence.clauses).toBeLessThan(0.2);
    expect(divergence.hardness).toBeLessThan(0.2);
  });

  it('aims programs-first at the shares the pairs made so far lack', () => {
    const target = {
      hardness: { easy: 0.5, medium: 0.5 },
      clauses: { where: 0.5, 'order-by': 0.2 },
      tables: {},
      programs: 10,
    };
    const made = Array.from({ length: 10 }, () => ({
      hardness: 'easy' as const,
      tables: ['t'],
      clauses: ['where'],
    }));
    const rest = remainingMix(target, made, 20);
    // 10 of 20 made, all easy with WHERE: the other 10 should be medium, without WHERE, 4 with ORDER BY
    expect(rest.hardness).toEqual({ easy: 0, medium: 1 });
    expect(rest.clauses).toEqual({ where: 0, 'order-by': 0.4 });
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { GEOGRAPHY_DB, GEOQUERY_DEV, SPIDER_DATABASES, SPIDER_QUESTIONS } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-cli-'));
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('symgen verify', () => {
  it('verifies the shipped GeoQuery example, keeping agreed programs that match gold', async () => {
    const out = join(folder, 'geo.jsonl');
    const input = join(import.meta.dirname, '..', 'examples', 'geoquery', 'candidates.jsonl');
    const code = await main([
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      input,
      '--out',
      out,
      '--min-votes',
      '5',
    ]);
    expect(code).toBe(0);
    const lines = readLines(out);
    expect(lines).toHaveLength(60);
    const accepted = lines.filter((line) => line.status === 'accepted');
    expect(accepted.length).toBeGreaterThan(40);
    for (const line of lines) {
      if (line.status === 'rejected') expect(line.reason).toBeTruthy();
      else expect(line.confidence).toBeGreaterThanOrEqual(5 / 20);
    }
    // the chosen programs execute to the gold answers: score them with symgen evaluate
    const gold = readLines(GEOQUERY_DEV).slice(0, 60);
    const goldFile = join(folder, 'gold.jsonl');
    const predFile = join(folder, 'pred.jsonl');
    writeFileSync(
      goldFile,
      accepted
        .map((line) => JSON.stringify({ id: line.id, query: gold[line.id as number]!.query }))
        .join('\n'),
    );
    writeFileSync(
      predFile,
      accepted.map((line) => JSON.stringify({ id: line.id, program: line.program })).join('\n'),
    );
    const json = join(folder, 'eval.json');
    expect(
      await main([
        'evaluate',
        '--task',
        'sql',
        '--db',
        GEOGRAPHY_DB,
        '--gold',
        goldFile,
        '--pred',
        predFile,
        '--json',
        json,
      ]),
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(json, 'utf8')) as { overall: { execution: number } };
    expect(metrics.overall.execution).toBeGreaterThan(0.9);
  });

  it('reports malformed lines with their line numbers and processes the rest', async () => {
    const input = join(folder, 'bad.jsonl');
    writeFileSync(
      input,
      [
        '{"id": 1, "candidates": ["SELECT count(*) FROM state"]}',
        'not json',
        '{"id": 2, "candidates": "x"}',
        '{"id": 3, "candidates": []}',
      ].join('\n'),
    );
    const out = join(folder, 'bad-out.jsonl');
    expect(await main(['verify', '--task', 'sql', '--db', GEOGRAPHY_DB, '--in', input, '--out', out])).toBe(
      0,
    );
    const lines = readLines(out);
    expect(lines.map((line) => line.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected']);
    expect(lines[1]).toMatchObject({ line: 2, reason: 'invalid-input' });
    expect(String(lines[2]!.error)).toMatch(/^line 3: candidates/);
    expect(lines[3]).toMatchObject({ reason: 'no-candidates' });
  });

  it('resolves Spider-style folders by db_id', async () => {
    const input = join(folder, 'spider.jsonl');
    writeFileSync(
      input,
      [
        {
          id: 'a',
          db_id: 'bbc_channels',
          candidates: ['SELECT count(*) FROM director', 'SELECT COUNT(*) FROM director;'],
        },
        { id: 'b', db_id: 'boat_1', candidates: ['SELECT count(*) FROM sailors'] },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const out = join(folder, 'spider-out.jsonl');
    expect(
      await main(['verify', '--task', 'sql', '--db', SPIDER_DATABASES, '--in', input, '--out', out]),
    ).toBe(0);
    const [first] = readLines(out);
    expect(first).toMatchObject({
      status: 'accepted',
      votes: 2,
      verification: { db: { id: 'bbc_channels' } },
    });
  });

  it('exits non-zero with one line and writes nothing when a database is missing', async () => {
    const input = join(folder, 'missing-db.jsonl');
    writeFileSync(input, '{"id": 1, "db_id": "no_such_db", "candidates": ["SELECT 1"]}\n');
    const out = join(folder, 'missing-db-out.jsonl');
    expect(
      await main(['verify', '--task', 'sql', '--db', SPIDER_DATABASES, '--in', input, '--out', out]),
    ).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(
      await main([
        'verify',
        '--task',
        'sql',
        '--db',
        join(folder, 'nope.sqlite'),
        '--in',
        input,
        '--out',
        out,
      ]),
    ).toBe(2);
    expect(
      await main([
        'verify',
        '--task',
        'sql',
        '--db',
        GEOGRAPHY_DB,
        '--in',
        join(folder, 'nope.jsonl'),
        '--out',
        out,
      ]),
    ).toBe(2);
    expect(
      await main([
        'verify',
        '--task',
        'sql',
        '--db',
        GEOGRAPHY_DB,
        '--in',
        input,
        '--out',
        out,
        '--min-votes',
        '2.5',
      ]),
    ).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('symgen evaluate', () => {
  it('scores Spider test gold against itself by hardness and database', async () => {
    const json = join(folder, 'spider-eval.json');
    const gold = SPIDER_QUESTIONS;
    expect(
      await main([
        'evaluate',
        '--task',
        'sql',
        '--db',
        SPIDER_DATABASES,
        '--gold',
        gold,
        '--pred',
        gold,
        '--json',
        json,
      ]),
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(json, 'utf8')) as {
      overall: { count: number; execution: number };
      byHardness: Record<string, { count: number }>;
      byDatabase: Record<string, unknown>;
      goldErrors: number;
    };
    expect(metrics.overall.count).toBe(1043);
    // gold written in a Postgres dialect: the few that do not run on SQLite are the only misses
    expect(metrics.overall.execution).toBeCloseTo((1043 - metrics.goldErrors) / 1043, 5);
    expect(Object.keys(metrics.byDatabase)).toHaveLength(23); // the questions use 23 of the 25 databases
    for (const level of ['easy', 'medium', 'hard', 'extra'])
      expect(metrics.byHardness[level]!.count).toBeGreaterThan(100);
  });
});

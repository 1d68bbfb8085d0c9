import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { GEOGRAPHY_DB } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-verify-quality-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const GOLD_CITIES = 'SELECT city_name FROM city WHERE population > 182000';
const MUTANT_CITIES = 'SELECT city_name FROM city WHERE population > 189000';
const TIE = 'SELECT state_name FROM border_info GROUP BY state_name ORDER BY count(border) DESC LIMIT 1';
const ALL_TIED =
  'SELECT state_name FROM border_info GROUP BY state_name HAVING count(border) = (SELECT max(c) FROM (SELECT count(border) AS c FROM border_info GROUP BY state_name))';

const lines = [
  {
    id: 'unanimous',
    candidates: Array.from({ length: 20 }, () => ({ program: 'SELECT count(*) FROM state' })),
  },
  {
    id: 'coincident',
    candidates: Array.from({ length: 20 }, (_, index) => ({
      program: index % 3 === 0 ? GOLD_CITIES : MUTANT_CITIES,
    })),
  },
  {
    id: 'tie',
    candidates: Array.from({ length: 20 }, (_, index) => ({ program: index % 5 < 2 ? ALL_TIED : TIE })),
  },
];

async function verify(name: string, ...flags: string[]) {
  const input = join(folder, 'in.jsonl');
  writeFileSync(input, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  const out = join(folder, `${name}.jsonl`);
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
    '3',
    '--test-suite-dir',
    join(folder, 'neighbours'),
    ...flags,
  ]);
  expect(code).toBe(0);
  const text = readFileSync(out, 'utf8');
  return {
    text,
    records: text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('symgen verify --adaptive --test-suite --checks', () => {
  it('reads fewer candidates, splits the coincident mutant, and lets the flawless group win', async () => {
    const plain = await verify('plain');
    expect(plain.records.map((record) => [record.status, record.program])).toEqual([
      ['accepted', 'SELECT count(*) FROM state'],
      ['accepted', MUTANT_CITIES], // one database cannot tell them apart: 20 votes in one group
      ['accepted', TIE],
    ]);
    expect(plain.records[1]).toMatchObject({ votes: 20 });

    const better = await verify('better', '--adaptive', '--test-suite', '4', '--checks');
    const [unanimous, coincident, tie] = better.records;
    expect(unanimous).toMatchObject({ status: 'accepted', total: 4, adaptive: { read: 4, budget: 20 } });
    expect(coincident).toMatchObject({ neighbours: 4 });
    expect((coincident!.clusters as unknown[]).length).toBe(2);
    expect(tie).toMatchObject({ status: 'accepted', program: ALL_TIED });

    // The same bytes from the executor processes as from the verify threads.
    const processes = await verify(
      'processes',
      '--adaptive',
      '--test-suite',
      '4',
      '--checks',
      '--executor',
      'processes',
    );
    expect(processes.text).toBe(better.text);
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { GEOGRAPHY_DB, SPIDER_DATABASES } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-sample-'));
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('symgen sample', () => {
  it('samples GeoQuery offline into JSONL, the same for the same seed', async () => {
    const out = join(folder, 'geo.jsonl');
    const again = join(folder, 'geo-again.jsonl');
    const args = ['sample', '--task', 'sql', '--db', GEOGRAPHY_DB, '--count', '40', '--seed', '3'];
    expect(await main([...args, '--out', out])).toBe(0);
    expect(await main([...args, '--out', again])).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    const lines = readLines(out);
    expect(lines).toHaveLength(40);
    for (const line of lines) {
      expect(line).toMatchObject({ db_id: 'geography', provenance: { method: 'programs-first', seed: 3 } });
      expect(typeof line.question).toBe('string');
      expect((line.result as { rows: number }).rows).toBeGreaterThan(0);
    }
  });

  it('samples each database of a Spider folder, with a hardness mix', async () => {
    const out = join(folder, 'spider.jsonl');
    const code = await main([
      'sample',
      '--task',
      'sql',
      '--db',
      SPIDER_DATABASES,
      '--databases',
      'bbc_channels,pilot_1',
      '--count',
      '12',
      '--mix',
      'easy=1,hard=1',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const lines = readLines(out);
    expect(lines.filter((line) => line.db_id === 'bbc_channels')).toHaveLength(12);
    expect(lines.filter((line) => line.db_id === 'pilot_1')).toHaveLength(12);
    const levels = lines.map((line) => (line.features as { hardness: string }).hardness);
    // Half easy, half hard, give or take a program the database could not give at the asked level.
    expect(levels.filter((level) => level === 'easy').length).toBeGreaterThanOrEqual(10);
    expect(levels.filter((level) => level === 'hard').length).toBeGreaterThanOrEqual(10);
  });

  it('fails in one line and writes nothing on bad input', async () => {
    const out = join(folder, 'bad.jsonl');
    const notDb = join(folder, 'notes.sqlite');
    writeFileSync(notDb, 'plain text');
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((text: string) => {
      errors.push(String(text));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['sample', '--task', 'sql', '--db', notDb, '--count', '5', '--out', out])).toBe(2);
      expect(
        await main(['sample', '--task', 'sql', '--db', GEOGRAPHY_DB, '--count', 'many', '--out', out]),
      ).toBe(2);
      expect(
        await main([
          'sample',
          '--task',
          'sql',
          '--db',
          SPIDER_DATABASES,
          '--databases',
          'nope',
          '--count',
          '5',
          '--out',
          out,
        ]),
      ).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/symgen sample: .*notes\.sqlite is not a SQLite database/);
    expect(errors.join('')).toMatch(/symgen sample: --count: expected a whole number, got "many"/);
    expect(errors.join('')).toMatch(/symgen sample: --databases: unknown database nope/);
    expect(existsSync(out)).toBe(false);
  });
});

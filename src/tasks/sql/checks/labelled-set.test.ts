import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, SHARED_DATA, SPIDER_DATABASES } from '../../../../test/shared-data.js';
import { DatabaseSet } from '../databases.js';
import { sqlTask } from '../index.js';
import { sqlResultChecks } from './result-checks.js';

interface Labelled {
  readonly db_id: string;
  readonly question: string;
  readonly program: string;
  readonly label: 'correct' | 'flawed';
  readonly flaw: string | null;
  readonly source: string;
}

const labelled = readFileSync(join(SHARED_DATA, 'sql-checks', 'labelled.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Labelled);
const executor = sqlTask.createExecutor({ workers: 1, timeoutMs: 5000 });
afterAll(() => executor.close());
const geography = DatabaseSet.open(GEOGRAPHY_DB);
const spider = DatabaseSet.open(SPIDER_DATABASES);

describe('SQL result checks on the labelled set (GeoQuery and Spider gold, flawed variants)', () => {
  it('flag the flawed programs and few correct ones', async () => {
    let flaggedFlawed = 0;
    let flaggedCorrect = 0;
    let flawed = 0;
    const missed: string[] = [];
    for (const entry of labelled) {
      const environment = (entry.db_id === 'geography' ? geography : spider).resolve(entry.db_id);
      const result = await executor.execute(entry.program, environment);
      expect(result.status, entry.program).toBe('ok');
      const names: string[] = [];
      for (const check of sqlResultChecks(entry.program, environment)) {
        const probe = await executor.execute(check.probe, environment);
        if (check.flawed(probe, result)) names.push(check.name);
      }
      if (entry.label === 'flawed') {
        flawed++;
        if (names.length > 0) flaggedFlawed++;
        else missed.push(`${entry.flaw}: ${entry.program}`);
      } else if (names.length > 0) flaggedCorrect++;
    }
    const precision = flaggedFlawed / (flaggedFlawed + flaggedCorrect);
    const recall = flaggedFlawed / flawed;
    expect(labelled.length).toBe(176);
    // 176 programs: 107 flawed (48 gold judged by hand, 59 gold with a flaw put in), 69 correct.
    console.log(`labelled set: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
    expect(precision, `precision ${precision}`).toBeGreaterThanOrEqual(0.95);
    expect(recall, `recall ${recall}; missed ${missed.slice(0, 5).join(' | ')}`).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});

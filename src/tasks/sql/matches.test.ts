import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../test/shared-data.js';
import { DatabaseSet } from './databases.js';
import { SqliteExecutor } from './execute/sqlite-executor.js';
import { sqlTask } from './task.js';

const executor = new SqliteExecutor({ timeoutMs: 5000 });
afterAll(() => executor.close());
const environment = DatabaseSet.open(GEOGRAPHY_DB).resolve(undefined);
const run = (sql: string) => executor.execute(sql, environment);

describe('sqlTask.matches (execution accuracy rule)', () => {
  it('compares in order when the gold orders more than one row', async () => {
    const gold = await run('SELECT state_name FROM state ORDER BY population DESC');
    const same = await run('SELECT state_name FROM state ORDER BY population DESC');
    const unordered = await run('SELECT state_name FROM state');
    expect(sqlTask.matches!(same, gold)).toBe(true);
    expect(sqlTask.matches!(unordered, gold)).toBe(false);
  });

  it('compares as multisets when the gold does not order its rows', async () => {
    const gold = await run('SELECT state_name FROM state');
    const reordered = await run('SELECT state_name FROM state ORDER BY state_name DESC');
    const fewer = await run("SELECT state_name FROM state WHERE state_name <> 'texas'");
    expect(sqlTask.matches!(reordered, gold)).toBe(true);
    expect(sqlTask.matches!(fewer, gold)).toBe(false);
  });

  it('an ordered gold of one row is compared as a multiset; failures never match', async () => {
    const gold = await run('SELECT state_name FROM state ORDER BY area DESC LIMIT 1');
    const plain = await run("SELECT state_name FROM state WHERE state_name = 'alaska'");
    expect(sqlTask.matches!(plain, gold)).toBe(true);
    const broken = await run('SELECT nothing FROM nowhere');
    expect(broken.status).toBe('error');
    expect(sqlTask.matches!(broken, gold)).toBe(false);
    expect(sqlTask.matches!(gold, broken)).toBe(false);
  });
});

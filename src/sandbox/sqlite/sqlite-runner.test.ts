import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, SHARED_DATA } from '../../../test/shared-data.js';
import { resolveSqliteLimits } from './protocol.js';
import { SqliteExecutor } from './sqlite-executor.js';
import { SqliteRunner } from './sqlite-runner.js';

const environment = { id: 'geography', path: GEOGRAPHY_DB };
const gold = readFileSync(join(SHARED_DATA, 'geoquery-sql', 'dev.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, 60)
  .map((line) => (JSON.parse(line) as { query: string }).query);

describe('SqliteRunner (in-thread, guarded)', () => {
  const runner = new SqliteRunner(resolveSqliteLimits({ timeoutMs: 300 }));
  const executor = new SqliteExecutor({ workers: 1, timeoutMs: 300 });
  afterAll(async () => {
    runner.closeSync();
    await executor.close();
  });

  it('gives the executor processes’ results: same status, keys, sizes and errors', async () => {
    const programs = [
      ...gold,
      'SELECT * FROM no_such_table',
      'SELECT state_name FROM state ORDER BY area DESC',
    ];
    for (const program of programs) {
      const here = runner.run(program, environment);
      const there = await executor.execute(program, environment);
      const pick = ({ status, key, bagKey, listKey, size, ordered, error, columns }: typeof here) => ({
        status,
        key,
        bagKey,
        listKey,
        size,
        ordered,
        error,
        columns,
      });
      expect(pick(here), program).toEqual(pick(there));
    }
  });

  it('runs each distinct normal form once', () => {
    const fresh = new SqliteRunner(resolveSqliteLimits({}));
    fresh.run('SELECT count(*) FROM state', environment);
    fresh.run('select   COUNT(*) from STATE', environment);
    fresh.run('SELECT count(*) FROM state', environment);
    expect(fresh.stats).toMatchObject({ requests: 3, cacheHits: 2, executed: 1 });
    fresh.closeSync();
  });

  it('reports a runaway statement as a timeout, with the executor processes’ message', () => {
    const result = runner.run(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
      environment,
    );
    expect(result).toMatchObject({
      status: 'timeout',
      error: 'statement ran longer than 300 ms and was interrupted',
    });
    expect(runner.run('SELECT count(*) FROM river', environment).status).toBe('ok');
  });

  it.each([
    ['DROP TABLE state', 'refused'],
    ["ATTACH DATABASE '/tmp/other.sqlite' AS other", 'refused'],
    ['SELECT * FROM state; DROP TABLE state', 'error'],
  ])('contains %s (%s)', (sql, status) => {
    const result = runner.run(sql, environment);
    expect(result.status).toBe(status);
    expect(result.error).toBeTruthy();
  });
});

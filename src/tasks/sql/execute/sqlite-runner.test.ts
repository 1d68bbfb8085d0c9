import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, SHARED_DATA } from '../../../../test/shared-data.js';
import { resolveSqliteLimits } from './protocol.js';
import { ResultHasher } from './result-key.js';
import { countRows } from './run-statement.js';
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

  it('prepares each text of a normal form that did not compile, so every message quotes its own text', async () => {
    const texts = [
      'SELECT city.no_such FROM city',
      'select CITY.NO_SUCH from CITY',
      'SELECT city.no_such FROM city',
    ];
    const fresh = new SqliteRunner(resolveSqliteLimits({}));
    const processes = new SqliteExecutor({ workers: 1 });
    try {
      for (const cache of [fresh, processes]) {
        const results = [];
        for (const text of texts) results.push(await cache.execute(text, environment));
        expect(results.map((result) => [result.status, result.phase, result.error])).toEqual([
          ['error', 'prepare', 'no such column: city.no_such'],
          ['error', 'prepare', 'no such column: CITY.NO_SUCH'],
          ['error', 'prepare', 'no such column: city.no_such'],
        ]);
        // The third is the first text again: answered from the cache.
        expect(cache.stats).toMatchObject({ requests: 3, cacheHits: 1, executed: 2 });
      }
      // A statement that compiled is still shared by every text of its normal form.
      await fresh.execute('SELECT count(*) FROM state', environment);
      await fresh.execute('select COUNT(*) from STATE', environment);
      expect(fresh.stats).toMatchObject({ requests: 5, cacheHits: 2, executed: 3 });
    } finally {
      fresh.closeSync();
      await processes.close();
    }
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

  it('counts a large result inside SQLite before reading it all, with the same keys as reading it', async () => {
    const pairs = 'SELECT a.state_name, b.capital FROM state a, state b';
    const runaway =
      'SELECT b1.border FROM border_info b1, border_info b2, border_info b3, border_info b4 WHERE b1.state_name = b2.border';
    const db = new Database(GEOGRAPHY_DB, { readonly: true });
    const rows = db.prepare(pairs).raw(true).all() as unknown[][];
    // The count stops one past the cap; a statement it cannot wrap is not counted.
    expect(countRows(db, pairs, 100_000)).toBe(rows.length);
    expect(countRows(db, `${pairs};\n`, 100_000)).toBe(rows.length);
    expect(countRows(db, runaway, 100_000)).toBe(100_001);
    expect(countRows(db, `${pairs}; -- every pair`, 100_000)).toBeUndefined();
    db.close();
    const hasher = new ResultHasher('multiset');
    for (const row of rows) hasher.add(row);
    expect(rows.length).toBeGreaterThan(2000);
    const expected = { status: 'ok', size: rows.length, ...hasher.keys(false) };
    const processes = new SqliteExecutor({ workers: 1 });
    try {
      for (const cache of [runner, processes]) {
        expect(await cache.execute(pairs, environment)).toMatchObject(expected);
        // A trailing comment cannot be wrapped for counting: the rows are read as they come.
        expect(await cache.execute(`${pairs}; -- every pair`, environment)).toMatchObject(expected);
      }
      const capped = new SqliteRunner(resolveSqliteLimits({ maxRows: 2000 }));
      expect(capped.run(pairs, environment)).toMatchObject({
        status: 'error',
        error: 'result has more than 2000 rows',
      });
      capped.closeSync();
      // A join missing its conditions: stopped by the count, not by reading 100,000 rows out.
      for (const cache of [runner, processes]) {
        expect(await cache.execute(runaway, environment)).toMatchObject({
          status: 'error',
          error: 'result has more than 100000 rows',
        });
      }
    } finally {
      await processes.close();
    }
  });

  it('refuses catalogue tables and pragma functions, in this thread and in executor processes alike', async () => {
    const processes = new SqliteExecutor({ workers: 1 });
    try {
      for (const [program, name] of [
        ['SELECT * FROM sqlite_master', 'sqlite_master'],
        ["SELECT name FROM sqlite_master WHERE type = 'table'", 'sqlite_master'],
        ['select COUNT(*) from Main.SQLITE_SCHEMA', 'sqlite_schema'],
        ['SELECT * FROM pragma_database_list', 'pragma_database_list'],
        ["SELECT name FROM pragma_table_info('state')", 'pragma_table_info'],
      ] as const) {
        const here = runner.run(program, environment);
        const there = await processes.execute(program, environment);
        const reason = `only the database's own tables may be read (got ${name},`;
        expect(here.status, program).toBe('refused');
        expect(here.error, program).toContain(reason);
        expect({ ...there, durationMs: 0 }).toEqual({ ...here, durationMs: 0 });
        expect(JSON.stringify(there)).not.toContain(GEOGRAPHY_DB);
      }
    } finally {
      await processes.close();
    }
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

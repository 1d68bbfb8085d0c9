import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { SqliteExecutor } from './sqlite-executor.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-exec-'));
const db = join(folder, 'geography.sqlite');
copyFileSync(GEOGRAPHY_DB, db);
const environment = { id: 'geography', path: db };
const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');

describe('SqliteExecutor', () => {
  let executor: SqliteExecutor;
  const before = digest();
  beforeAll(() => {
    executor = new SqliteExecutor({ workers: 2, timeoutMs: 800 });
  });
  afterAll(async () => {
    await executor.close();
  });

  it('runs queries and gives equal keys to equal results', async () => {
    const [a, b, c] = await Promise.all([
      executor.execute('SELECT state_name FROM state WHERE population > 10000000', environment),
      executor.execute('select STATE_NAME from STATE where 10000000 < population order by 1', environment),
      executor.execute('SELECT count(*) FROM state', environment),
    ]);
    expect(a.status).toBe('ok');
    expect(a.size).toBeGreaterThan(1);
    expect(b.bagKey).toBe(a.bagKey);
    expect(b.key).not.toBe(a.key); // b orders its output, a does not
    expect(c.preview).toEqual([[51]]);
  });

  it.each([
    ['DROP TABLE state', 'refused'],
    ['DELETE FROM state', 'refused'],
    ['UPDATE state SET population = 0', 'refused'],
    ["INSERT INTO state(state_name) VALUES ('x')", 'refused'],
    ["ATTACH DATABASE '/tmp/other.sqlite' AS other", 'refused'],
    ['PRAGMA query_only = 0', 'refused'],
    ['PRAGMA writable_schema = 1', 'refused'],
    ['WITH x AS (SELECT 1) DELETE FROM state', 'refused'],
    ["SELECT load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0')", 'error'],
    ['SELECT * FROM no_such_table', 'error'],
  ])('contains %s (%s) and leaves the database unchanged', async (sql, status) => {
    const result = await executor.execute(sql, environment);
    expect(result.status).toBe(status);
    expect(result.error).toBeTruthy();
    expect(digest()).toBe(before);
  });

  it('interrupts a runaway recursive CTE and a cartesian product, then goes on', async () => {
    const started = performance.now();
    const [recursive, cartesian, after] = await Promise.all([
      executor.execute(
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
        environment,
      ),
      executor.execute('SELECT count(*) FROM city a, city b, city c, city d, city e', environment),
      executor.execute('SELECT count(*) FROM river', environment),
    ]);
    expect(recursive.status).toBe('timeout');
    expect(cartesian.status).toBe('timeout');
    expect(after.status).toBe('ok');
    // a runaway is retried alone once before it is blamed: about two budgets each, plus process
    // restarts (under vitest each child loads TypeScript through tsx, a second or more on a busy machine)
    expect(performance.now() - started).toBeLessThan(25_000);
    expect(executor.stats.processStarts).toBeGreaterThan(2);
  }, 40_000);

  it('caps rows returned', async () => {
    const capped = new SqliteExecutor({ workers: 1, maxRows: 100 });
    try {
      const result = await capped.execute('SELECT * FROM city a, city b', environment);
      expect(result.status).toBe('error');
      expect(result.error).toMatch(/more than 100 rows/);
    } finally {
      await capped.close();
    }
  });

  it('executes each distinct normalised program once', async () => {
    const fresh = new SqliteExecutor({ workers: 2 });
    try {
      await Promise.all(
        [
          'SELECT count(*) FROM lake',
          'select COUNT(*) from lake;',
          'SELECT  count(*)  FROM lake -- again',
        ].map((sql) => fresh.execute(sql, environment)),
      );
      expect(fresh.stats).toMatchObject({ requests: 3, cacheHits: 2, executed: 1 });
    } finally {
      await fresh.close();
    }
  });

  it('reports the real parser canonical form with normalise=parser, and the text form by default', async () => {
    const parsed = new SqliteExecutor({ workers: 1, normalise: 'parser' });
    try {
      const [a, b] = await Promise.all([
        parsed.execute('SELECT count(*) FROM lake WHERE (area > 100)', environment),
        parsed.execute('SELECT count(*) FROM lake WHERE area > 100', environment),
      ]);
      expect(a.normalised).toBe('SELECT count(*) FROM lake WHERE (area > 100)');
      expect(b.normalised).toBe('SELECT count(*) FROM lake WHERE area > 100');
      expect(a.key).toBe(b.key);
      expect(parsed.stats.executed).toBe(2);
      const text = await executor.execute('select COUNT(*) from lake', environment);
      expect(text.normalised).toBe('select count ( * ) from lake');
    } finally {
      await parsed.close();
    }
  });
});

import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { GUARD_EXTENSION_PATH, guardAvailable } from './guard-extension.js';
import { openGuarded } from './guarded-connection.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-guard-'));
const db = join(folder, 'geography.sqlite');
copyFileSync(GEOGRAPHY_DB, db);
const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');

/** Run `sql` to the end; the error code and message if it failed. */
function attempt(connection: ReturnType<typeof openGuarded>, sql: string): { rows?: number; error?: string } {
  try {
    let rows = 0;
    for (const _row of connection.db.prepare(sql).raw(true).iterate()) rows++;
    return { rows };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { error: `${code}: ${message}` };
  }
}

describe('the symgen_guard SQLite extension', () => {
  it('is built by `npm run build`', () => {
    // CI has a C compiler; without one, symgen falls back to executor processes (see scripts/build-native.mjs).
    expect(guardAvailable(), `missing ${GUARD_EXTENSION_PATH}`).toBe(true);
  });

  const connection = openGuarded(db, 1_000_000);
  const before = digest();
  afterAll(() => connection.close());

  it('interrupts a runaway recursive CTE and a cartesian product at the budget, then runs the next statement', () => {
    for (const sql of [
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
      'SELECT count(*) FROM city a, city b, city c, city d',
    ]) {
      const started = performance.now();
      connection.arm(150);
      const result = attempt(connection, sql);
      const elapsed = performance.now() - started;
      expect(result.error).toBe('SQLITE_INTERRUPT: interrupted');
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(3000);
      connection.arm(5000);
      expect(attempt(connection, 'SELECT count(*) FROM state')).toEqual({ rows: 1 });
    }
  });

  it('lets a statement that ends before the budget finish, and a late interrupt does not hit the next one', async () => {
    connection.arm(30);
    expect(attempt(connection, 'SELECT * FROM state')).toEqual({ rows: 51 });
    await new Promise((resolve) => setTimeout(resolve, 80)); // the watchdog fires between statements
    connection.arm(5000);
    expect(attempt(connection, 'SELECT * FROM city')).toEqual({ rows: 386 });
  });

  it.each([
    ["ATTACH DATABASE '/tmp/symgen-guard-other.sqlite' AS other", 'SQLITE_AUTH'],
    ['PRAGMA query_only = 0', 'SQLITE_AUTH'],
    ['PRAGMA writable_schema = 1', 'SQLITE_AUTH'],
    ['CREATE TEMP TABLE t(x)', 'SQLITE_AUTH'],
    ['BEGIN', 'SQLITE_AUTH'],
    ['DELETE FROM state', 'SQLITE_AUTH'],
    ["SELECT load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0')", 'not authorized to use function'],
    ["SELECT readfile('/etc/passwd')", 'no such function'],
  ])('refuses %s at prepare time and leaves the database unchanged', (sql, expected) => {
    expect(attempt(connection, sql).error).toContain(expected);
    expect(digest()).toBe(before);
  });

  it('refuses loading another extension once it is in', () => {
    expect(() => connection.db.loadExtension(GUARD_EXTENSION_PATH)).toThrow(/not authorized/);
  });

  it('keeps its controls from queries: no token, no budget change', () => {
    expect(connection.db.prepare('SELECT symgen_guard_token()').pluck().get()).toBeNull();
    expect(attempt(connection, 'SELECT symgen_guard_arm(1, 1000000)').error).toContain('not permitted');
    expect(attempt(connection, 'SELECT symgen_guard_limit(1, 1000000000)').error).toContain('not permitted');
  });

  it('caps the length of strings a statement builds', () => {
    connection.arm(5000);
    const doubling =
      "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r) SELECT length(s) FROM r";
    expect(attempt(connection, doubling).error).toBe('SQLITE_TOOBIG: string or blob too big');
  });
});

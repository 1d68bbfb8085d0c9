import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, SPIDER_DATABASES } from '../../../../test/shared-data.js';
import { normaliseSql } from '../normalise.js';
import { openGuarded } from './guarded-connection.js';
import { resolveSqliteLimits, type SqliteLimits } from './protocol.js';
import type { CompareMode } from './result-key.js';
import { runGuarded, runStatement, type StatementResult } from './run-statement.js';

// `runGuarded` runs and hashes statements in C (native/run_statement.c); `runStatement` is the
// JavaScript it must match field for field, on the same guarded connection.

const folder = mkdtempSync(join(tmpdir(), 'symgen-run-guarded-'));
const valuesDb = join(folder, 'values.sqlite');

/** Cells the C side must read, round and hash as better-sqlite3 and JavaScript do. */
const CELLS = [
  'NULL',
  '0',
  '-0.0',
  '1',
  '-7',
  '3.0',
  '9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '0.1 + 0.2',
  '1234567890.5',
  '-1234567890.5',
  '123456789.25',
  '1234567891.5',
  '2.5e-7',
  '1e308',
  '4.9e-324',
  '1e-320',
  '9e999',
  '-9e999',
  '1.0000000005',
  "''",
  "'texas'",
  "'Texas'",
  "'3'",
  "'élan 中文 😀'",
  "'quote \" backslash \\ tab' || char(9) || 'nul' || char(0) || 'end'",
  'char(1, 31, 127, 128, 65535)',
  "CAST(x'c3' AS TEXT)",
  "CAST(x'eda080' AS TEXT)",
  "CAST(x'f4908080' AS TEXT)",
  "CAST(x'e080' AS TEXT)",
  "CAST(x'80ff41' AS TEXT)",
  "CAST(x'f09f98' AS TEXT)",
  "CAST(x'e282ac41f09f9880' AS TEXT)",
  "x''",
  "x'00ff10'",
];

/** Random rows of mixed types, the same every run. */
function randomRows(count: number): unknown[][] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const value = (): unknown => {
    const pick = next();
    if (pick < 0.15) return null;
    if (pick < 0.35) return Math.floor(next() * 20) - 10;
    if (pick < 0.55) return Math.round(next() * 1e6) / 1e3;
    if (pick < 0.75) return ['a', 'b', 'ab', 'Ü', '', '1'][Math.floor(next() * 6)];
    if (pick < 0.85) return Buffer.from([Math.floor(next() * 256)]);
    return next() * 1e12;
  };
  return Array.from({ length: count }, () => [value(), value(), value()]);
}

{
  const db = new Database(valuesDb);
  db.exec('CREATE TABLE r (a, b, c)');
  db.exec("CREATE TABLE pragma_notes (n); INSERT INTO pragma_notes VALUES ('a table, not a pragma')");
  const insert = db.prepare('INSERT INTO r VALUES (?, ?, ?)');
  for (const row of randomRows(300)) insert.run(row);
  db.exec(
    `CREATE TABLE cells AS ${CELLS.map((cell, index) => `SELECT ${index} AS i, ${cell} AS v`).join(' UNION ALL ')}`,
  );
  db.close();
}

const STATEMENTS = [
  'SELECT v FROM cells ORDER BY i',
  'SELECT v FROM cells',
  'SELECT i, v FROM cells ORDER BY i DESC',
  'SELECT v, i FROM cells',
  'SELECT v, v, i FROM cells WHERE i < 10',
  'SELECT typeof(v), length(v) FROM cells',
  'SELECT a, b, c FROM r',
  'SELECT c, a, b FROM r',
  'SELECT a, b FROM r ORDER BY a, b, c',
  'SELECT DISTINCT a FROM r',
  'SELECT a FROM r UNION ALL SELECT a FROM r',
  'SELECT count(*), sum(a), avg(a), max(c) FROM r GROUP BY typeof(a)',
  'SELECT 1 AS "é 中", 2 AS "é 中", 3',
  'SELECT * FROM r WHERE a > 100',
  'SELECT * FROM r LIMIT 2',
  '  SELECT 1 ;  -- trailing comment\n /* and another */ ; ',
  'SELECT 1; SELECT 2',
  '-- only a comment',
  'SELECT nosuch FROM r',
  'SELECT * FROM nowhere',
  'SELEC 1',
  "SELECT 'unterminated",
  'SELECT abs(-9223372036854775808)',
  'DELETE FROM r',
  'CREATE TABLE t (x)',
  "ATTACH 'x.sqlite' AS x",
  'PRAGMA user_version = 3',
  "SELECT load_extension('x')",
  // Catalogue tables and pragma functions: the authorizer refuses them when they are prepared.
  'SELECT * FROM sqlite_master',
  'SELECT count(*) FROM main.sqlite_schema',
  'SELECT a FROM r WHERE a IN (SELECT rootpage FROM sqlite_master)',
  'SELECT * FROM pragma_database_list',
  "SELECT name FROM pragma_table_info('r')",
  'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000) SELECT x FROM n',
  'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n',
  'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n',
  "SELECT zeroblob(3000), 'x'",
  'SELECT a.a, b.b FROM r a, r b',
];

function compare(
  connection: ReturnType<typeof openGuarded>,
  sql: string,
  limits: SqliteLimits,
): { js: StatementResult; c: StatementResult } {
  const job = { sql, textKey: normaliseSql(sql) };
  connection.arm(limits.timeoutMs);
  const { durationMs: _js, ...js } = runStatement(connection.db, job, limits, performance.now());
  const { durationMs: _c, ...c } = runGuarded(connection, job, limits, performance.now());
  return { js: js as StatementResult, c: c as StatementResult };
}

describe('runGuarded (statements run and hashed in C)', () => {
  const connections: ReturnType<typeof openGuarded>[] = [];
  afterAll(() => {
    for (const connection of connections) connection.close();
  });
  const open = (path: string, maxBytes: number) => {
    const connection = openGuarded(path, maxBytes);
    connections.push(connection);
    return connection;
  };

  for (const compare_ of ['multiset', 'strict', 'set'] as CompareMode[]) {
    it(`gives the JavaScript result for every statement, comparing as ${compare_}`, () => {
      const limits = { ...resolveSqliteLimits({ compare: compare_, timeoutMs: 300, maxRows: 5000 }) };
      const connection = open(valuesDb, limits.maxBytes);
      const statuses = new Set<string>();
      for (const sql of STATEMENTS) {
        const { js, c } = compare(connection, sql, limits);
        expect(c, sql).toEqual(js);
        statuses.add(`${js.status}${js.phase ? `/${js.phase}` : ''}`);
      }
      // The list reaches every kind of answer (the guard refuses writes when they are prepared).
      expect([...statuses].sort()).toEqual(['error', 'error/prepare', 'ok', 'timeout']);
    });
  }

  it('refuses catalogue tables and pragma functions when they are prepared, in C as in JavaScript', () => {
    const limits = resolveSqliteLimits({});
    const connection = open(valuesDb, limits.maxBytes);
    for (const [sql, message] of [
      ['SELECT * FROM sqlite_master', 'access to sqlite_master.type is prohibited'],
      ['SELECT count(*) FROM sqlite_temp_master', 'not authorized'],
      ['SELECT * FROM pragma_database_list', 'access to pragma_database_list.seq is prohibited'],
    ] as const) {
      const { js, c } = compare(connection, sql, limits);
      expect(c, sql).toEqual(js);
      expect(c, sql).toMatchObject({ status: 'error', phase: 'prepare', error: message });
    }
    // A table of the database's own whose name starts like a pragma function's is data.
    const { js, c } = compare(connection, 'SELECT n FROM pragma_notes', limits);
    expect(c).toEqual(js);
    expect(c).toMatchObject({ status: 'ok', preview: [['a table, not a pragma']] });
  });

  it('rounds reals as toPrecision(10) does, ties away from zero', () => {
    const connection = open(valuesDb, 1_000_000);
    const limits = resolveSqliteLimits({});
    const keyOf = (literal: string) =>
      compare(connection, `SELECT ${literal}`, limits).c as StatementResult & { key: string };
    // 1234567890.5 rounds to 1234567891 (printf would give the even 1234567890).
    expect(keyOf('1234567890.5').key).toBe(keyOf('1234567891').key);
    expect(keyOf('1234567890.5').key).not.toBe(keyOf('1234567890').key);
    expect(keyOf('0.1 + 0.2').key).toBe(keyOf('0.3').key);
    expect(keyOf('3.0').key).toBe(keyOf('3').key);
    expect(keyOf("'3'").key).not.toBe(keyOf('3').key);
  });

  it('stops at the row and byte caps as JavaScript does', () => {
    const limits = resolveSqliteLimits({ maxRows: 100, maxBytes: 2000 });
    const connection = open(valuesDb, limits.maxBytes);
    for (const sql of [
      'SELECT * FROM r',
      'SELECT * FROM r LIMIT 100',
      "SELECT zeroblob(1500), 'x' FROM r LIMIT 2",
    ]) {
      const { js, c } = compare(connection, sql, limits);
      expect(c, sql).toEqual(js);
    }
    expect(compare(connection, 'SELECT * FROM r', limits).c.error).toBe('result has more than 100 rows');
    expect(compare(connection, "SELECT zeroblob(1500), 'x' FROM r LIMIT 2", limits).c.error).toBe(
      'result is larger than 2000 bytes',
    );
  });

  it('runs a statement whose answer would pass the length limit in JavaScript, to the same result', () => {
    // 300 non-ASCII characters are 1,800 bytes of escaped JSON: over a 1,000-byte limit, within the byte cap.
    const limits = resolveSqliteLimits({ maxBytes: 1000 });
    const connection = open(valuesDb, limits.maxBytes);
    const sql = "SELECT replace(hex(zeroblob(300)), '00', 'é')";
    expect(connection.run(sql, limits)).toEqual({ fallback: true });
    const { js, c } = compare(connection, sql, limits);
    expect(c.status).toBe('ok');
    expect(c).toEqual(js);
  });

  it('gives the JavaScript result on GeoQuery and a Spider database', () => {
    const limits = resolveSqliteLimits({});
    const geo = open(GEOGRAPHY_DB, limits.maxBytes);
    for (const sql of [
      'SELECT state_name, population, area, density FROM state',
      'SELECT city_name, population FROM city ORDER BY population DESC',
      'SELECT * FROM border_info',
      'SELECT river_name, length FROM river WHERE length > 1000',
      'SELECT avg(area), sum(population) FROM state',
    ]) {
      const { js, c } = compare(geo, sql, limits);
      expect(c.status, sql).toBe('ok');
      expect(c, sql).toEqual(js);
    }
    const spider = join(SPIDER_DATABASES, 'bakery_1.sqlite');
    const connection = open(spider, limits.maxBytes);
    const catalogue = new Database(spider, { readonly: true });
    const tables = catalogue
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    catalogue.close();
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const { js, c } = compare(connection, `SELECT * FROM "${table}"`, limits);
      expect(c, table).toEqual(js);
    }
  });
});

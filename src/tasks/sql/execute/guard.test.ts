import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { normaliseSql } from '../normalise.js';
import { catalogueReason, PRAGMA_NAMES, refusalReason, refusalReasonNormalised } from './guard.js';

const STATEMENTS = [
  'SELECT 1',
  '  (SELECT a FROM t) UNION SELECT b FROM u',
  'with x as (select 1) select * from x',
  'VALUES (1), (2)',
  '-- a comment\nSELECT 1',
  '/* c */ select 1',
  'DROP TABLE state',
  'delete from state',
  "ATTACH DATABASE '/tmp/x.sqlite' AS x",
  'PRAGMA writable_schema = 1',
  "SELECT load_extension('x')",
  'selectx 1',
  '',
  '   ',
  ';',
];

describe('statement guard', () => {
  it('reads the normal form as it reads the source', () => {
    for (const statement of STATEMENTS) {
      const source = refusalReason(statement);
      const normalised = refusalReasonNormalised(normaliseSql(statement));
      expect(normalised === null, statement).toBe(source === null);
    }
    expect(refusalReasonNormalised(normaliseSql('DROP TABLE state'))).toMatch(/got drop/);
  });
});

/** Statements that read SQLite's catalogue or call a pragma function: never an answer. */
const CATALOGUE = [
  ['SELECT * FROM sqlite_master', 'sqlite_master'],
  ['select name from SQLITE_MASTER where type = "table"', 'sqlite_master'],
  ['SELECT count(*) FROM main.sqlite_schema', 'sqlite_schema'],
  ['SELECT sql FROM "sqlite_master"', 'sqlite_master'],
  ['SELECT * FROM [sqlite_temp_master]', 'sqlite_temp_master'],
  ['SELECT * FROM `temp`.`sqlite_temp_schema`', 'sqlite_temp_schema'],
  ['SELECT seq FROM sqlite_sequence', 'sqlite_sequence'],
  ['SELECT stat FROM sqlite_stat1', 'sqlite_stat1'],
  ['SELECT * FROM sqlite_stat4', 'sqlite_stat4'],
  ["SELECT * FROM sqlite_dbpage('main')", 'sqlite_dbpage'],
  ['WITH t AS (SELECT name FROM sqlite_master) SELECT * FROM t', 'sqlite_master'],
  ['SELECT state_name FROM state WHERE state_name IN (SELECT name FROM sqlite_master)', 'sqlite_master'],
  ['SELECT * FROM pragma_database_list', 'pragma_database_list'],
  ["SELECT name FROM PRAGMA_TABLE_INFO('state')", 'pragma_table_info'],
  ['SELECT * FROM "pragma_compile_options"', 'pragma_compile_options'],
  ["SELECT * FROM main.pragma_index_list('state')", 'pragma_index_list'],
  ['SELECT * FROM pragma_function_list', 'pragma_function_list'],
] as const;

describe('catalogue guard', () => {
  it.each(CATALOGUE)('refuses %s, naming %s', (statement, name) => {
    for (const reason of [refusalReason(statement), refusalReasonNormalised(normaliseSql(statement))]) {
      expect(reason).toContain(`got ${name}`);
      expect(reason).toMatch(/^only the database's own tables may be read/);
    }
    expect(catalogueReason(statement)).toContain(name);
  });

  it.each([
    "SELECT state_name FROM state WHERE state_name = 'sqlite_master'",
    "SELECT 'pragma_database_list' AS x",
    'SELECT sqlite_version()',
    "SELECT sqlite_source_id(), sqlite_compileoption_used('THREADSAFE')",
    'SELECT pragma_notes FROM pragma_notes',
    'SELECT * FROM state -- sqlite_master',
    '/* pragma_database_list */ SELECT 1',
  ])('lets %s through', (statement) => {
    expect(refusalReason(statement)).toBeNull();
    expect(refusalReasonNormalised(normaliseSql(statement))).toBeNull();
  });

  it("knows every pragma of the SQLite here, and the C authorizer's list is the same", () => {
    const db = new Database(':memory:');
    const pragmas = db.prepare('PRAGMA pragma_list').pluck().all() as string[];
    db.close();
    expect(pragmas.length).toBeGreaterThan(50);
    for (const pragma of pragmas) expect(PRAGMA_NAMES.has(pragma), pragma).toBe(true);
    const source = readFileSync(
      join(import.meta.dirname, '..', '..', '..', '..', 'native', 'symgen_guard.c'),
      'utf8',
    );
    const array = /PRAGMA_NAMES\[\] = \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const inC = [...array.matchAll(/"([a-z_]+)"/g)].map((match) => match[1]);
    expect(inC).toEqual([...PRAGMA_NAMES]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../test/shared-data.js';
import { openReadOnly, quoteIdentifier, readSqliteSchema, sampleTableRows } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'symgen-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSqliteSchema', () => {
  it('reads GeoQuery tables, columns and row counts', () => {
    const db = openReadOnly(GEOGRAPHY_DB);
    const schema = readSqliteSchema(db);
    const state = schema.tables.find((table) => table.name === 'state');
    expect(state?.columns.map((column) => column.name)).toContain('population');
    expect(state?.rowCount).toBeGreaterThan(40);
    expect(state?.createSql).toMatch(/^CREATE TABLE/i);
    db.close();
  });

  it('reads foreign keys, defaulting the referenced column to the primary key', () => {
    const path = join(dir, 'fk.sqlite');
    const writer = new Database(path);
    writer.exec(`CREATE TABLE "odd ""name"" table" (id INTEGER PRIMARY KEY, label TEXT);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "odd ""name"" table");
      INSERT INTO "odd ""name"" table" VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
    writer.close();
    const db = openReadOnly(path);
    const schema = readSqliteSchema(db);
    expect(schema.tables.map((table) => table.name)).toEqual(['odd "name" table', 'child']);
    expect(schema.tables[1]?.foreignKeys).toEqual([
      { column: 'parent', refTable: 'odd "name" table', refColumn: 'id' },
    ]);
    const first = sampleTableRows(db, 'odd "name" table', 2);
    expect(first).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b' },
    ]);
    const random = sampleTableRows(db, 'odd "name" table', 2, { mode: 'random', seed: 7 });
    expect(random).toHaveLength(2);
    expect(sampleTableRows(db, 'odd "name" table', 2, { mode: 'random', seed: 7 })).toEqual(random);
    expect(() => db.exec('DELETE FROM child')).toThrow();
    db.close();
  });

  it('quotes identifiers and names the file it cannot open', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(() => openReadOnly(join(dir, 'missing.sqlite'))).toThrow(/missing\.sqlite/);
  });
});

describe('DatabaseSet.ids', () => {
  it('lists the 25 Spider test databases and a single file by its name', async () => {
    const { DatabaseSet } = await import('./databases.js');
    const { SPIDER_DATABASES } = await import('../../../test/shared-data.js');
    const ids = DatabaseSet.open(SPIDER_DATABASES).ids();
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(ids).toEqual([...ids].sort());
    expect(DatabaseSet.open(GEOGRAPHY_DB).ids()).toEqual(['geography']);
  });
});

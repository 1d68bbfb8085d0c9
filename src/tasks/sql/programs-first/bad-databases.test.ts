import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openReadOnly } from '../schema.js';
import { generateProgramsFirst, type ProgramsFirstExample, runProgram } from './index.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-bad-db-'));

function makeDatabase(name: string, statements: string[]): string {
  const path = join(folder, `${name}.sqlite`);
  const db = new Database(path);
  for (const statement of statements) db.exec(statement);
  db.close();
  return path;
}

async function collect(dbPath: string, count: number, seed = 1): Promise<ProgramsFirstExample[]> {
  const examples: ProgramsFirstExample[] = [];
  for await (const example of generateProgramsFirst({ dbPath, dbId: 'test', count, seed }))
    examples.push(example);
  return examples;
}

function expectAllRun(path: string, examples: readonly ProgramsFirstExample[]): void {
  const db = openReadOnly(path);
  try {
    for (const example of examples) {
      const run = runProgram(db, example.program, 100_000);
      expect(run.status, `${example.program}: ${run.error}`).toBe('ok');
      expect(run.rows).toBeGreaterThan(0);
    }
  } finally {
    db.close();
  }
}

describe('databases that are hard to sample from', () => {
  it('no tables: a one-line error naming the file', async () => {
    const path = makeDatabase('empty', ['PRAGMA user_version = 1']);
    await expect(collect(path, 5)).rejects.toThrow(`database ${path} has no tables`);
  });

  it('tables but no rows: a one-line error saying to fill one', async () => {
    const path = makeDatabase('no_rows', ['CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)']);
    await expect(collect(path, 5)).rejects.toThrow(/has tables but no rows/);
  });

  it('not a SQLite file: a one-line error', async () => {
    const path = join(folder, 'text.sqlite');
    writeFileSync(path, 'hello, not a database\n'.repeat(10));
    await expect(collect(path, 5)).rejects.toThrow(/is not a SQLite database/);
  });

  it('odd names (spaces, quotes, reserved words, camelCase) and no foreign keys', async () => {
    const rows = Array.from({ length: 40 }, (_, index) => index);
    const path = makeDatabase('odd', [
      'CREATE TABLE "my ""odd"" table" ("first name" TEXT, "it\'s" TEXT, "Order" INTEGER, birthYear INTEGER, "group" TEXT)',
      'CREATE TABLE "Team Members" ("memberId" INTEGER PRIMARY KEY, "team name" TEXT, "select" REAL)',
      'CREATE TABLE "empty one" (x INTEGER)',
      ...rows.map(
        (index) =>
          `INSERT INTO "my ""odd"" table" VALUES ('name ${index % 13}', 'O''Brien ${index % 5}', ${index}, ${1950 + (index % 30)}, 'g${index % 4}')`,
      ),
      ...rows.map(
        (index) => `INSERT INTO "Team Members" VALUES (${index}, 'team ${index % 6}', ${index * 1.5})`,
      ),
    ]);
    const examples = await collect(path, 60);
    expect(examples.length).toBeGreaterThan(40);
    expectAllRun(path, examples);
    const text = examples.map((example) => example.program).join('\n');
    expect(text).toContain('"my ""odd"" table"');
    expect(text).toContain('"Team Members"');
    expect(text).not.toContain('"empty one"');
    const questions = examples.map((example) => example.question).join('\n');
    expect(questions).toMatch(/birth year|first name|team name/);
    expect(questions).toMatch(/my odd tables|team members/);
    // a value with a quote is written doubled in SQL
    if (text.includes("O''Brien")) expect(questions).toContain("O'Brien");
  });

  it('one row: stops with fewer programs instead of looping, none of them degenerate', async () => {
    const path = makeDatabase('one_row', [
      'CREATE TABLE city (name TEXT, population INTEGER)',
      "INSERT INTO city VALUES ('Springfield', 1000)",
    ]);
    const started = performance.now();
    const examples = await collect(path, 200);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(examples.length).toBeLessThan(200);
    expect(examples.length).toBeGreaterThan(0);
    expectAllRun(path, examples);
    for (const example of examples) expect(example.program).not.toMatch(/WHERE/);
  });
});

describe('createPlanGuard', () => {
  it('drops nested full scans of big tables, and checks nothing on small databases', async () => {
    const { createPlanGuard } = await import('./plan-guard.js');
    const path = makeDatabase('big', [
      'CREATE TABLE big (id INTEGER PRIMARY KEY, k INTEGER, v REAL)',
      'CREATE TABLE small (k INTEGER, name TEXT)',
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000) INSERT INTO big SELECT i, i % 100, i * 0.5 FROM n',
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99) INSERT INTO small SELECT i, 'n' || i FROM n",
    ]);
    const db = openReadOnly(path);
    try {
      const guard = createPlanGuard(db, [
        { name: 'big', rowCount: 25_000 },
        { name: 'small', rowCount: 100 },
      ])!;
      expect(guard('SELECT count(*) FROM big AS T1 JOIN big AS T2 ON T1.v < T2.v')).toBe(true);
      expect(guard('SELECT T1.name FROM small AS T1 JOIN big AS T2 ON T1.k = T2.k')).toBe(false);
      expect(guard('SELECT count(*) FROM big WHERE v > 10')).toBe(false);
      expect(createPlanGuard(db, [{ name: 'small', rowCount: 100 }])).toBeNull();
    } finally {
      db.close();
    }
  });
});

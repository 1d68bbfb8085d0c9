import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError } from '../../../errors/index.js';
import type { ExecutionEnvironment } from '../../spec.js';
import { quoteIdentifier, readSqliteSchema, type SqlSchema } from '../schema.js';
import { collectLiterals, type SqlLiterals } from './literals.js';

/**
 * Neighbour databases (test-suite verification, after Zhong et al., 2020): K databases derived from
 * an original, with its schema, that tell apart programs one database cannot.
 *
 * Each neighbour is the original with
 * - **numbers moved next to the candidates' literals by an order-preserving map.** Per column name
 *   (so joins on same-named columns stay joins), the distinct numeric values `v1 < v2 < ...` get new
 *   values `w1 < w2 < ...`: each `vj` either stays or moves to a point next to a literal `L`
 *   (`L - 1`, `L`, `L + 1`, or midway to the next literal; integers stay integers) that lies strictly
 *   between `w(j-1)` and `v(j+1)`.
 *   Order and ties are kept, so `ORDER BY`, `LIMIT` and `MAX` pick the same rows as on the original,
 *   and a program that was deterministic stays so; a value can cross any boundary the data did not
 *   (`population > 150000` against `> 160000` with no city between the two). Key columns (primary and
 *   foreign keys, and columns named `id` or `..._id`) are left alone.
 * - **string literals written where they are compared**: `state_name = 'vermont'` puts 'vermont'
 *   in a row or two of each table with a `state_name`, so a conjunction has rows to meet;
 * - **values drawn next to the literals** (rows holding a string literal of the candidates first),
 *   each a value no row of its column holds, so no tie is made: a column compared with literals
 *   (`population > 150000`, in a subquery, a join or behind `CAST`) gets values on both sides of each
 *   boundary; numbers stored as text are perturbed as numbers and written back as text;
 * - **rows copied from existing ones** (even neighbours, when a candidate compares a `COUNT` with a
 *   number): group sizes change (`HAVING COUNT(*) > 3` against `> 1`), keys get fresh values,
 *   foreign keys stay valid;
 * - **text values set to variants of the string literals** (upper-cased, with a word before or after)
 *   in a row or two of columns holding the literal (every other neighbour);
 * - **rows deleted** (a fifth, every other neighbour), never a row a declared foreign key refers to.
 *
 * Equivalent programs give equal results on every database, so they stay together; programs that
 * only agreed by coincidence split.
 */
export interface NeighbourOptions {
  /** How many neighbours. */
  readonly size: number;
  /** Where they are kept: `<dir>/<database sha256>/<literals hash>/n<i>.sqlite`. */
  readonly dir?: string | undefined;
}

/** The default place for neighbours outside a run directory. */
export function defaultNeighbourDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'symgen', 'test-suite');
}

const VERSION = 'neighbours-5';
const built = new Map<string, ExecutionEnvironment[]>();

/**
 * The neighbours of `environment` for the literals of `programs`: built once per database content and
 * literal set, then read from `dir`. Files are written whole (a temporary name, then renamed), so
 * threads or processes building the same neighbour at once do no harm.
 */
export function neighbourDatabases(
  environment: ExecutionEnvironment & { sha256?: string },
  programs: Iterable<string>,
  options: NeighbourOptions,
): ExecutionEnvironment[] {
  if (options.size <= 0) return [];
  const path = environment.path;
  if (!path) throw new DatabaseError(`no database file for environment ${environment.id}`, '');
  const sha256 = environment.sha256 ?? createHash('sha256').update(readFileSync(path)).digest('hex');
  const literals = collectLiterals(programs);
  const literalsHash = createHash('sha256')
    .update(JSON.stringify([VERSION, literals]))
    .digest('hex')
    .slice(0, 16);
  const folder = join(options.dir ?? defaultNeighbourDir(), sha256.slice(0, 16), literalsHash);
  const memo = `${folder}\u0000${options.size}`;
  const known = built.get(memo);
  if (known) return known;
  const environments: ExecutionEnvironment[] = [];
  for (let index = 0; index < options.size; index++) {
    const file = join(folder, `n${index}.sqlite`);
    if (!existsSync(file)) buildNeighbour(path, file, literals, seedOf(literalsHash, index), index);
    environments.push({ id: `${environment.id}~n${index}`, path: file });
  }
  built.set(memo, environments);
  return environments;
}

function buildNeighbour(
  original: string,
  file: string,
  literals: SqlLiterals,
  seed: number,
  index: number,
): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    copyFileSync(original, temporary);
    const db = new Database(temporary);
    try {
      db.pragma('journal_mode = DELETE');
      db.pragma('foreign_keys = OFF');
      const random = mulberry32(seed);
      const schema = readSqliteSchema(db);
      db.transaction(() => {
        moveNumbers(db, schema, literals.numbers, random);
        plantStrings(db, schema, literals, random);
        placeNearLiterals(db, schema, literals, random);
        if (index % 2 === 0 && literals.counts) copyRows(db, schema, random);
        if (index % 2 === 1) {
          varyStrings(db, schema, literals.strings, random);
          deleteRows(db, schema, random);
        }
      })();
    } finally {
      db.close();
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new DatabaseError(
      `cannot build a neighbour database of ${original} at ${file}: ${(error as Error).message} (check that the folder is writable, or pass --test-suite-dir)`,
      file,
      { cause: error },
    );
  }
}

/** Columns never changed: primary and foreign keys (both ends) and columns named like ids. */
function keyColumns(schema: SqlSchema): Set<string> {
  const keys = new Set<string>();
  for (const table of schema.tables) {
    for (const column of table.columns)
      if (column.primaryKey > 0 || /(^|_)id$/i.test(column.name) || /[a-z0-9](ID|Id)$/.test(column.name))
        keys.add(`${table.name}\u0000${column.name}`);
    for (const foreign of table.foreignKeys) {
      keys.add(`${table.name}\u0000${foreign.column}`);
      keys.add(`${foreign.refTable}\u0000${foreign.refColumn}`);
    }
  }
  return keys;
}

function moveNumbers(
  db: Database.Database,
  schema: SqlSchema,
  numbers: readonly number[],
  random: () => number,
): void {
  if (numbers.length === 0) return;
  const keys = keyColumns(schema);
  // Columns by lower-cased name: same-named columns share one map.
  const byName = new Map<string, { table: string; column: string }[]>();
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    for (const column of table.columns) {
      if (keys.has(`${table.name}\u0000${column.name}`)) continue;
      const name = column.name.toLowerCase();
      const list = byName.get(name) ?? [];
      list.push({ table: table.name, column: column.name });
      byName.set(name, list);
    }
  }
  for (const name of [...byName.keys()].sort()) {
    const columns = byName.get(name)!;
    const values = new Set<number>();
    let integers = true;
    for (const { table, column } of columns) {
      const rows = db
        .prepare(
          `SELECT DISTINCT ${quoteIdentifier(column)} AS v, typeof(${quoteIdentifier(column)}) AS t FROM ${quoteIdentifier(table)} WHERE typeof(${quoteIdentifier(column)}) IN ('integer', 'real')`,
        )
        .all() as { v: number; t: string }[];
      for (const row of rows) {
        values.add(Number(row.v));
        if (row.t !== 'integer') integers = false;
      }
    }
    if (values.size === 0) continue;
    const map = monotoneMap(
      [...values].sort((a, b) => a - b),
      targets(numbers, integers),
      random,
    );
    if (map.size === 0) continue;
    for (const { table, column } of columns) {
      const quotedColumn = quoteIdentifier(column);
      const quotedTable = quoteIdentifier(table);
      const rows = db
        .prepare(
          `SELECT rowid AS r, ${quotedColumn} AS v FROM ${quotedTable} WHERE typeof(${quotedColumn}) IN ('integer', 'real')`,
        )
        .all() as { r: number; v: number }[];
      const update = db.prepare(`UPDATE ${quotedTable} SET ${quotedColumn} = ? WHERE rowid = ?`);
      for (const row of rows) {
        const moved = map.get(Number(row.v));
        if (moved !== undefined) update.run(moved, row.r);
      }
    }
  }
}

/**
 * String literals compared with a column (`state_name = 'vermont'`) written into one or two rows of
 * each table with that column (each literal with probability 0.7), so a conjunction with a boundary
 * (`state_name = 'vermont' AND population > 150000`) has rows to meet even where the original holds
 * none; the numbers placed next afterwards prefer these rows. Key columns are left alone.
 */
function plantStrings(
  db: Database.Database,
  schema: SqlSchema,
  literals: SqlLiterals,
  random: () => number,
): void {
  const compared = literals.stringsByColumn;
  if (!compared) return;
  const keys = keyColumns(schema);
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    const quotedTable = quoteIdentifier(table.name);
    const rows = (
      db.prepare(`SELECT rowid AS r FROM ${quotedTable} ORDER BY rowid`).all() as { r: number }[]
    ).map((row) => row.r);
    if (rows.length < 2) continue;
    for (const column of table.columns) {
      const strings = own(compared, column.name.toLowerCase());
      if (!strings || keys.has(`${table.name}\u0000${column.name}`)) continue;
      const update = db.prepare(
        `UPDATE ${quotedTable} SET ${quoteIdentifier(column.name)} = ? WHERE rowid = ?`,
      );
      for (const literal of strings) {
        if (random() >= 0.7) continue;
        const times = random() < 0.5 ? 1 : 2;
        for (let time = 0; time < times; time++)
          update.run(literal, rows[Math.floor(random() * rows.length)]!);
      }
    }
  }
}

/**
 * Values drawn next to the literals in a few rows: for each numeric column, up to three rows (rows
 * holding one of the string literals first, so `state = 'alabama' AND population > 150000` meets an
 * alabama city near 150000) get a value next to a literal that no row of that column holds, so no new
 * tie is made and an ORDER BY stays a total order where it was one.
 */
function placeNearLiterals(
  db: Database.Database,
  schema: SqlSchema,
  literals: SqlLiterals,
  random: () => number,
): void {
  if (literals.numbers.length === 0) return;
  const keys = keyColumns(schema);
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    const quotedTable = quoteIdentifier(table.name);
    // rows holding a string literal in some column
    const preferred: number[] = [];
    for (const column of table.columns) {
      for (const literal of literals.strings) {
        const rows = db
          .prepare(
            `SELECT rowid AS r FROM ${quotedTable} WHERE lower(${quoteIdentifier(column.name)}) = lower(?) ORDER BY rowid LIMIT 20`,
          )
          .all(literal) as { r: number }[];
        for (const row of rows) preferred.push(row.r);
      }
    }
    const all = (
      db.prepare(`SELECT rowid AS r FROM ${quotedTable} ORDER BY rowid`).all() as { r: number }[]
    ).map((row) => row.r);
    if (all.length === 0) continue;
    for (const column of table.columns) {
      if (keys.has(`${table.name}\u0000${column.name}`)) continue;
      const quotedColumn = quoteIdentifier(column.name);
      const values = db
        .prepare(`SELECT DISTINCT ${quotedColumn} AS v, typeof(${quotedColumn}) AS t FROM ${quotedTable}`)
        .all() as { v: unknown; t: string }[];
      const compared = literals.byColumn && own(literals.byColumn, column.name.toLowerCase());
      let numeric = values.filter((value) => value.t === 'integer' || value.t === 'real');
      // Numbers stored as text (compared through CAST): perturbed numerically, written back as text.
      let asText = false;
      if (compared && numeric.length < values.length / 2) {
        const textual = values.filter((value) => value.t === 'text' && NUMBER_TEXT.test(String(value.v)));
        if (textual.length >= values.length / 2) {
          numeric = textual;
          asText = true;
        }
      }
      if (numeric.length === 0 || numeric.length < values.length / 2) continue;
      const integers = numeric.every((value) => value.t === 'integer' || /^-?\d+$/.test(String(value.v)));
      const taken = new Set(numeric.map((value) => Number(value.v)));
      const points = targets(compared ?? literals.numbers, integers).filter((point) => !taken.has(point));
      const update = db.prepare(`UPDATE ${quotedTable} SET ${quotedColumn} = ? WHERE rowid = ?`);
      // A column compared with literals gets values on both sides of each boundary (each point with
      // probability 0.6, in distinct rows); any other numeric column up to three points.
      const used = new Set<number>();
      const pick = () => {
        for (let attempt = 0; attempt < 4; attempt++) {
          const pool = preferred.length > 0 && random() < 0.7 ? preferred : all;
          const row = pool[Math.floor(random() * pool.length)]!;
          if (!used.has(row)) return row;
        }
        return undefined;
      };
      const chosen = compared
        ? points.filter(() => random() < 0.6)
        : Array.from({ length: Math.min(3, points.length) }, () => {
            const index = Math.floor(random() * points.length);
            return points.splice(index, 1)[0]!;
          });
      for (const point of chosen) {
        const row = pick();
        if (row === undefined) continue;
        used.add(row);
        update.run(asText ? String(point) : point, row);
      }
    }
  }
}

const NUMBER_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * Rows copied from existing ones, so group sizes change (`HAVING COUNT(*) > 3` against `> 1`): about
 * a quarter of the rows of each table get a copy (some two), with a fresh value in each key column
 * that no foreign key constrains (integers: above the greatest; text: a suffix), and a foreign-key
 * column of a composite primary key moved to another value its parent holds. A copy that would break
 * a UNIQUE constraint is not made. Declared foreign keys stay valid: copied references exist.
 */
function copyRows(db: Database.Database, schema: SqlSchema, random: () => number): void {
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    const quotedTable = quoteIdentifier(table.name);
    const rows = db.prepare(`SELECT * FROM ${quotedTable} ORDER BY rowid`).all() as Record<string, unknown>[];
    if (rows.length === 0) continue;
    const primary = table.columns.filter((column) => column.primaryKey > 0);
    const foreign = new Map(table.foreignKeys.map((key) => [key.column, key]));
    const names = table.columns.map((column) => column.name);
    const insert = db.prepare(
      `INSERT INTO ${quotedTable} (${names.map(quoteIdentifier).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    );
    const greatest = new Map<string, number>();
    for (const column of primary) {
      const max = db
        .prepare(`SELECT max(${quoteIdentifier(column.name)}) AS m FROM ${quotedTable}`)
        .get() as {
        m: unknown;
      };
      greatest.set(column.name, typeof max.m === 'number' ? max.m : 0);
    }
    const parents = new Map<string, unknown[]>();
    let copies = 0;
    for (const row of rows) {
      const times = random() < 0.25 ? (random() < 0.3 ? 2 : 1) : 0;
      for (let time = 0; time < times; time++) {
        const copy = { ...row };
        let possible = true;
        for (const column of primary) {
          const key = foreign.get(column.name);
          if (key) {
            if (primary.length === 1) {
              possible = false;
              break;
            }
            let values = parents.get(column.name);
            if (!values) {
              try {
                values = db
                  .prepare(
                    `SELECT DISTINCT ${quoteIdentifier(key.refColumn)} FROM ${quoteIdentifier(key.refTable)} WHERE ${quoteIdentifier(key.refColumn)} IS NOT NULL ORDER BY 1`,
                  )
                  .pluck()
                  .all();
              } catch {
                values = [];
              }
              parents.set(column.name, values);
            }
            if (values.length === 0) {
              possible = false;
              break;
            }
            copy[column.name] = values[Math.floor(random() * values.length)];
          } else if (typeof row[column.name] === 'number' || row[column.name] === null) {
            const next = Math.floor(greatest.get(column.name)!) + 1;
            greatest.set(column.name, next);
            copy[column.name] = next;
          } else {
            copy[column.name] = `${String(row[column.name])} ${++copies}`;
          }
        }
        if (!possible) break;
        try {
          insert.run(...names.map((name) => copy[name] as never));
        } catch {
          // a UNIQUE constraint (or a composite key already taken): no copy
        }
      }
    }
  }
}

/**
 * Points next to each literal: L - 1, L, L + 1, and the midpoint between each two literals (so a
 * value can fall between `> 30` and `> 31.5`); whole numbers only for integer columns.
 */
function targets(numbers: readonly number[], integers: boolean): number[] {
  const points = new Set<number>();
  const add = (point: number) => {
    if (!integers) points.add(point);
    else for (const whole of new Set([Math.floor(point), Math.ceil(point)])) points.add(whole);
  };
  numbers.forEach((literal, index) => {
    for (const point of [literal - 1, literal, literal + 1]) add(point);
    const next = numbers[index + 1];
    if (next !== undefined) add((literal + next) / 2);
  });
  return [...points].sort((a, b) => a - b);
}

/**
 * An order-preserving map of sorted distinct `values`: each value moves, with probability 0.7,
 * to a target strictly between the previous value's image and the next value. Returns the moves.
 */
export function monotoneMap(
  values: readonly number[],
  points: readonly number[],
  random: () => number,
): Map<number, number> {
  const moves = new Map<number, number>();
  let previous = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    const next = values[index + 1] ?? Number.POSITIVE_INFINITY;
    const feasible = points.filter((point) => point > previous && point < next && point !== value);
    if (feasible.length > 0 && random() < 0.7) {
      const chosen = feasible[Math.floor(random() * feasible.length)]!;
      moves.set(value, chosen);
      previous = chosen;
    } else {
      previous = value;
    }
  }
  return moves;
}

function varyStrings(
  db: Database.Database,
  schema: SqlSchema,
  strings: readonly string[],
  random: () => number,
): void {
  const keys = keyColumns(schema);
  for (const raw of strings) {
    const literal = raw.replaceAll('%', '').trim();
    if (literal.length === 0) continue;
    for (const table of schema.tables) {
      if (!hasRowid(db, table.name)) continue;
      for (const column of table.columns) {
        if (keys.has(`${table.name}\u0000${column.name}`)) continue;
        const quotedColumn = quoteIdentifier(column.name);
        const quotedTable = quoteIdentifier(table.name);
        const holds = db
          .prepare(`SELECT 1 FROM ${quotedTable} WHERE lower(${quotedColumn}) = lower(?) LIMIT 1`)
          .get(literal);
        if (!holds) continue;
        const others = db
          .prepare(
            `SELECT rowid AS r FROM ${quotedTable} WHERE typeof(${quotedColumn}) = 'text' AND lower(${quotedColumn}) <> lower(?) ORDER BY rowid`,
          )
          .all(literal) as { r: number }[];
        if (others.length === 0) continue;
        const variants = [literal.toUpperCase(), `${literal} x`, `x ${literal}`];
        const update = db.prepare(`UPDATE ${quotedTable} SET ${quotedColumn} = ? WHERE rowid = ?`);
        for (let count = 0; count < Math.min(2, others.length); count++) {
          const row = others[Math.floor(random() * others.length)]!;
          update.run(variants[Math.floor(random() * variants.length)]!, row.r);
        }
      }
    }
  }
}

/** Delete about a fifth of the rows of each table, never a row a declared foreign key refers to. */
function deleteRows(db: Database.Database, schema: SqlSchema, random: () => number): void {
  const referenced = new Map<string, { column: string; from: { table: string; column: string }[] }[]>();
  for (const table of schema.tables) {
    for (const foreign of table.foreignKeys) {
      const list = referenced.get(foreign.refTable) ?? [];
      let entry = list.find((item) => item.column === foreign.refColumn);
      if (!entry) {
        entry = { column: foreign.refColumn, from: [] };
        list.push(entry);
      }
      entry.from.push({ table: table.name, column: foreign.column });
      referenced.set(foreign.refTable, list);
    }
  }
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    const quotedTable = quoteIdentifier(table.name);
    const guards = (referenced.get(table.name) ?? []).flatMap((entry) =>
      entry.from.map(
        (from) =>
          `${quoteIdentifier(entry.column)} NOT IN (SELECT ${quoteIdentifier(from.column)} FROM ${quoteIdentifier(from.table)} WHERE ${quoteIdentifier(from.column)} IS NOT NULL)`,
      ),
    );
    let rows: { r: number }[];
    try {
      rows = db
        .prepare(
          `SELECT rowid AS r FROM ${quotedTable}${guards.length > 0 ? ` WHERE ${guards.join(' AND ')}` : ''} ORDER BY rowid`,
        )
        .all() as { r: number }[];
    } catch {
      continue; // a foreign key naming a column that does not exist: leave the table whole
    }
    const remove = db.prepare(`DELETE FROM ${quotedTable} WHERE rowid = ?`);
    for (const row of rows) if (random() < 0.2) remove.run(row.r);
  }
}

const rowidTables = new WeakMap<Database.Database, Map<string, boolean>>();
function hasRowid(db: Database.Database, table: string): boolean {
  let known = rowidTables.get(db);
  if (!known) {
    known = new Map();
    rowidTables.set(db, known);
  }
  let answer = known.get(table);
  if (answer === undefined) {
    try {
      db.prepare(`SELECT rowid FROM ${quoteIdentifier(table)} LIMIT 0`).all();
      answer = true;
    } catch {
      answer = false;
    }
    known.set(table, answer);
  }
  return answer;
}

/** A record's own entry (a column may be called `constructor`). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function seedOf(hash: string, index: number): number {
  return createHash('sha256').update(`${hash}:${index}`).digest().readUInt32LE(0);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

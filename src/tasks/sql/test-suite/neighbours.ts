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

const VERSION = 'neighbours-6';
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
        const placed = placeNearLiterals(db, schema, literals, random);
        floodBoundaries(db, schema, literals, random, 0.3 + 0.1 * (index % 3), placed);
        keysNearLiterals(db, schema, literals, random);
        if (index % 2 === 0 && literals.counts && !literals.grouped)
          copyRows(db, schema, literals.counts, random);
        if (index % 2 === 1) {
          varyStrings(db, schema, literals.strings, random);
          deleteRows(db, schema, random);
        }
        if (literals.counts && literals.grouped) setGroupSizes(db, schema, literals, random);
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
): Set<string> {
  const placed = new Set<string>();
  if (literals.numbers.length === 0) return placed;
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
        placed.add(`${table.name}\u0000${column.name}\u0000${row}`);
        update.run(asText ? String(point) : point, row);
      }
    }
  }
  return placed;
}

const NUMBER_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

/** Rows holding one of the string literals in some column (`state_name = 'alabama'` rows). */
function literalRows(db: Database.Database, table: SqlSchema['tables'][number], strings: readonly string[]) {
  const rows = new Set<number>();
  const quotedTable = quoteIdentifier(table.name);
  for (const column of table.columns)
    for (const literal of strings)
      for (const row of db
        .prepare(
          `SELECT rowid AS r FROM ${quotedTable} WHERE lower(${quoteIdentifier(column.name)}) = lower(?) ORDER BY rowid LIMIT 20`,
        )
        .all(literal) as { r: number }[])
        rows.add(row.r);
  return rows;
}

/**
 * Boundaries flooded: in each column compared with literals whose order no candidate reads (no
 * `ORDER BY`, `MIN` or `MAX` names it), a share `rate` of the rows (twice that in rows holding a
 * string literal) take a value next to one of the column's literals, ties allowed. A conjunction
 * (`population > 150000 AND state_name IN (SELECT ...)`) then meets the boundary in the rows its
 * other conjuncts keep, and counts of rows past a boundary (`GROUP BY ... ORDER BY COUNT(*)`,
 * `> 750` against `> 749`) move by more than one. Ties cannot make a program nondeterministic where
 * no order of the column is read.
 */
function floodBoundaries(
  db: Database.Database,
  schema: SqlSchema,
  literals: SqlLiterals,
  random: () => number,
  rate: number,
  placed: ReadonlySet<string>,
): void {
  const byColumn = literals.byColumn;
  if (!byColumn) return;
  const ordered = new Set(literals.ordered ?? []);
  const keys = keyColumns(schema);
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    const quotedTable = quoteIdentifier(table.name);
    let preferred: Set<number> | undefined;
    for (const column of table.columns) {
      const name = column.name.toLowerCase();
      const compared = own(byColumn, name);
      if (!compared || ordered.has(name) || keys.has(`${table.name}\u0000${column.name}`)) continue;
      const quotedColumn = quoteIdentifier(column.name);
      const rows = db
        .prepare(
          `SELECT rowid AS r, ${quotedColumn} AS v, typeof(${quotedColumn}) AS t FROM ${quotedTable} ORDER BY rowid`,
        )
        .all() as { r: number; v: unknown; t: string }[];
      const numeric = rows.filter((row) => row.t === 'integer' || row.t === 'real');
      const textual = rows.filter((row) => row.t === 'text' && NUMBER_TEXT.test(String(row.v)));
      const asText = textual.length > numeric.length;
      const values = asText ? textual : numeric;
      if (values.length === 0 || values.length < rows.length / 2) continue;
      const integers = values.every((row) => row.t === 'integer' || /^\s*-?\d+\s*$/.test(String(row.v)));
      const points = floodPoints(compared, integers);
      preferred ??= literalRows(db, table, literals.strings);
      const hot = hotRows(db, table, column.name, random);
      const update = db.prepare(`UPDATE ${quotedTable} SET ${quotedColumn} = ? WHERE rowid = ?`);
      for (const row of values) {
        if (placed.has(`${table.name}\u0000${column.name}\u0000${row.r}`)) continue;
        const share = hot ? (hot.has(row.r) ? Math.min(0.9, 2 * rate) : rate / 3) : rate;
        if (random() >= (preferred.has(row.r) ? 2 * share : share)) continue;
        const point = points[Math.floor(random() * points.length)]!;
        update.run(asText ? String(point) : point, row.r);
      }
    }
  }
}

/**
 * The points a flooded column takes: each literal and the values between two of them (whole numbers
 * for integer columns), so `< 34` against `< 35` meets 34; a single literal also gets its two sides.
 */
function floodPoints(compared: readonly number[], integers: boolean): number[] {
  const points = targets(compared, integers);
  if (compared.length < 2) return points;
  const low = compared[0]!;
  const high = compared[compared.length - 1]!;
  return points.filter((point) => point >= low && point <= high);
}

/**
 * In every other table (drawn), the rows flooded in blocks: a column other than `column` with
 * repeated values is drawn, and the rows of half its values (drawn) are the hot rows, flooded more,
 * the others less; so counts past a boundary move unevenly between groups and an arg-max over groups
 * (`GROUP BY state ORDER BY COUNT(*) DESC LIMIT 1`) can change with the boundary. Undefined: no blocks.
 */
function hotRows(
  db: Database.Database,
  table: SqlSchema['tables'][number],
  column: string,
  random: () => number,
): Set<number> | undefined {
  if (random() < 0.5) return undefined;
  const quotedTable = quoteIdentifier(table.name);
  const total = (db.prepare(`SELECT count(*) AS n FROM ${quotedTable}`).get() as { n: number }).n;
  const candidates = table.columns.filter((other) => {
    if (other.name === column) return false;
    const distinct = (
      db.prepare(`SELECT count(DISTINCT ${quoteIdentifier(other.name)}) AS n FROM ${quotedTable}`).get() as {
        n: number;
      }
    ).n;
    return distinct >= 2 && distinct <= total / 2;
  });
  if (candidates.length === 0) return undefined;
  const by = quoteIdentifier(candidates[Math.floor(random() * candidates.length)]!.name);
  const values = db.prepare(`SELECT DISTINCT ${by} AS v FROM ${quotedTable} ORDER BY 1`).pluck().all();
  const chosen = values.filter(() => random() < 0.5);
  if (chosen.length === 0) return undefined;
  const hot = new Set<number>();
  const select = db.prepare(`SELECT rowid FROM ${quotedTable} WHERE ${by} IS ?`).pluck();
  for (const value of chosen) for (const row of select.all(value) as number[]) hot.add(row);
  return hot;
}

/**
 * Group sizes set next to the `COUNT` literals (`HAVING COUNT(*) > 3` against `> 1`): in each table
 * with a column some candidate groups by, up to three groups (values of that column) drawn get a size
 * drawn from each literal and one past it, by copying rows of the group (fresh keys, references kept
 * or moved to another parent, see `copyRowWith`) or deleting rows no declared foreign key refers to.
 */
function setGroupSizes(
  db: Database.Database,
  schema: SqlSchema,
  literals: SqlLiterals,
  random: () => number,
): void {
  const grouped = new Set(literals.grouped ?? []);
  const sizes = [
    ...new Set((literals.counts ?? []).flatMap((count) => [Math.ceil(count), Math.floor(count) + 1])),
  ].filter((size) => size >= 1 && size <= 12);
  if (sizes.length === 0) return;
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    const quotedTable = quoteIdentifier(table.name);
    for (const column of table.columns) {
      if (!grouped.has(column.name.toLowerCase())) continue;
      const quotedColumn = quoteIdentifier(column.name);
      const groups = db
        .prepare(
          `SELECT ${quotedColumn} AS v, count(*) AS n FROM ${quotedTable} WHERE ${quotedColumn} IS NOT NULL GROUP BY 1 ORDER BY 1`,
        )
        .all() as { v: unknown; n: number }[];
      const guards = deleteGuards(schema, table.name);
      const drawn = Math.min(3, groups.length);
      for (let time = 0; time < drawn; time++) {
        const group = groups.splice(Math.floor(random() * groups.length), 1)[0]!;
        const size = sizes[Math.floor(random() * sizes.length)]!;
        if (group.n < size) {
          const rows = db
            .prepare(`SELECT * FROM ${quotedTable} WHERE ${quotedColumn} = ? ORDER BY rowid`)
            .all(group.v) as Record<string, unknown>[];
          for (let added = group.n; added < size; added++)
            copyRowWith(
              db,
              schema,
              table,
              column.name,
              group.v,
              random,
              rows[Math.floor(random() * rows.length)],
            );
        } else if (group.n > size) {
          let rows: number[];
          try {
            rows = db
              .prepare(
                `SELECT rowid FROM ${quotedTable} WHERE ${quotedColumn} = ?${guards.map((guard) => ` AND ${guard}`).join('')} ORDER BY rowid`,
              )
              .pluck()
              .all(group.v) as number[];
          } catch {
            continue;
          }
          const remove = db.prepare(`DELETE FROM ${quotedTable} WHERE rowid = ?`);
          for (let removed = group.n; removed > size && rows.length > 0; removed--)
            remove.run(rows.splice(Math.floor(random() * rows.length), 1)[0]!);
        }
      }
    }
  }
}

/**
 * Keys next to the literals they are compared with (`HAVING reserves.bid > 50` where every boat is
 * numbered above 100): for an integer key column compared with literals, a few rows are copied with
 * the key set to a point next to a literal that no row holds, other key columns fresh. Where the
 * column is a declared foreign key, a row of the parent is copied with that key first, so the
 * reference stays valid.
 */
function keysNearLiterals(
  db: Database.Database,
  schema: SqlSchema,
  literals: SqlLiterals,
  random: () => number,
): void {
  const byColumn = literals.byColumn;
  if (!byColumn) return;
  const keys = keyColumns(schema);
  for (const table of schema.tables) {
    if (!hasRowid(db, table.name)) continue;
    for (const column of table.columns) {
      const compared = own(byColumn, column.name.toLowerCase());
      if (!compared || !keys.has(`${table.name}\u0000${column.name}`)) continue;
      const quotedColumn = quoteIdentifier(column.name);
      const quotedTable = quoteIdentifier(table.name);
      const values = db
        .prepare(`SELECT DISTINCT ${quotedColumn} AS v, typeof(${quotedColumn}) AS t FROM ${quotedTable}`)
        .all() as { v: unknown; t: string }[];
      if (values.length === 0 || !values.every((value) => value.t === 'integer' || value.t === 'null'))
        continue;
      const taken = new Set(values.map((value) => value.v));
      const foreign = table.foreignKeys.find((key) => key.column === column.name);
      const parent = foreign && schema.tables.find((other) => other.name === foreign.refTable);
      for (const point of targets(compared, true)) {
        if (taken.has(point) || random() >= 0.5) continue;
        if (foreign) {
          if (!parent || !hasRowid(db, parent.name)) continue;
          const held = db
            .prepare(
              `SELECT 1 FROM ${quoteIdentifier(parent.name)} WHERE ${quoteIdentifier(foreign.refColumn)} = ?`,
            )
            .get(point);
          if (!held && !copyRowWith(db, schema, parent, foreign.refColumn, point, random)) continue;
        }
        if (copyRowWith(db, schema, table, column.name, point, random)) taken.add(point);
      }
    }
  }
}

/**
 * Copy a random row of `table` with `column` set to `value`: other primary-key columns get fresh
 * values (integers above the greatest, text with a suffix), foreign keys are kept. False where the
 * table is empty or the copy breaks a constraint.
 */
function copyRowWith(
  db: Database.Database,
  schema: SqlSchema,
  table: SqlSchema['tables'][number],
  column: string,
  value: unknown,
  random: () => number,
  from?: Record<string, unknown>,
): boolean {
  const quotedTable = quoteIdentifier(table.name);
  let source = from;
  if (!source) {
    const rows = db.prepare(`SELECT * FROM ${quotedTable} ORDER BY rowid`).all() as Record<string, unknown>[];
    if (rows.length === 0) return false;
    source = rows[Math.floor(random() * rows.length)]!;
  }
  const copy = { ...source };
  copy[column] = value;
  const foreign = new Set(table.foreignKeys.map((key) => key.column));
  const primary = table.columns.filter((key) => key.primaryKey > 0);
  // A key made of foreign keys only: another of them moved to a value its parent holds.
  if (primary.length > 0 && primary.every((key) => foreign.has(key.name))) {
    const others = primary.filter((key) => key.name !== column);
    if (others.length > 0) {
      const moved = others[Math.floor(random() * others.length)]!.name;
      const reference = table.foreignKeys.find((key) => key.column === moved)!;
      if (!schema.tables.some((other) => other.name === reference.refTable)) return false;
      const values = db
        .prepare(
          `SELECT DISTINCT ${quoteIdentifier(reference.refColumn)} FROM ${quoteIdentifier(reference.refTable)} WHERE ${quoteIdentifier(reference.refColumn)} IS NOT NULL ORDER BY 1`,
        )
        .pluck()
        .all();
      if (values.length === 0) return false;
      copy[moved] = values[Math.floor(random() * values.length)];
    }
  }
  for (const key of table.columns) {
    if (key.primaryKey === 0 || key.name === column || foreign.has(key.name)) continue;
    if (typeof copy[key.name] === 'number' || copy[key.name] === null) {
      const max = db.prepare(`SELECT max(${quoteIdentifier(key.name)}) AS m FROM ${quotedTable}`).get() as {
        m: unknown;
      };
      copy[key.name] = Math.floor(typeof max.m === 'number' ? max.m : 0) + 1;
    } else copy[key.name] = `${String(copy[key.name])} ${value}`;
  }
  const names = table.columns.map((entry) => entry.name);
  try {
    db.prepare(
      `INSERT INTO ${quotedTable} (${names.map(quoteIdentifier).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    ).run(...names.map((name) => copy[name] as never));
    return true;
  } catch {
    return false; // a UNIQUE constraint, or a key already taken
  }
}

/**
 * Rows copied from existing ones, so group sizes change (`HAVING COUNT(*) > 3` against `> 1`): about
 * a quarter of the rows of each table get a copy (some two), with a fresh value in each key column
 * that no foreign key constrains (integers: above the greatest; text: a suffix), and a foreign-key
 * column of a composite primary key moved to another value its parent holds. A copy that would break
 * a UNIQUE constraint is not made. Declared foreign keys stay valid: copied references exist.
 */
function copyRows(
  db: Database.Database,
  schema: SqlSchema,
  counts: readonly number[],
  random: () => number,
): void {
  // Copies per copied row: 1 up to one past the greatest count compared with (at most 6), so a
  // group of one can reach each threshold.
  const most = Math.min(6, Math.max(2, Math.ceil(Math.max(...counts)) + 1));
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
    const parentValues = (column: string) => {
      let values = parents.get(column);
      if (!values) {
        const key = foreign.get(column)!;
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
        parents.set(column, values);
      }
      return values;
    };
    // Key columns that are foreign keys: a composite key made of them only gets one of them moved
    // (the others kept, so the groups they make grow); a key with a column of its own gets that
    // column fresh and keeps its foreign keys.
    const foreignPrimary = primary.filter((column) => foreign.has(column.name));
    const ownPrimary = primary.filter((column) => !foreign.has(column.name));
    if (primary.length === 1 && foreignPrimary.length === 1) continue;
    // Foreign keys outside the primary key: now and then pointed at another parent, so new
    // groups (of one) appear.
    const loose = [...foreign.keys()].filter((column) => !primary.some((key) => key.name === column));
    let copies = 0;
    for (const row of rows) {
      if (random() >= 0.25) continue;
      const times = 1 + Math.floor(random() * most);
      const source = { ...row };
      if (loose.length > 0 && random() < 0.3) {
        const moved = loose[Math.floor(random() * loose.length)]!;
        const values = parentValues(moved);
        if (values.length > 0) source[moved] = values[Math.floor(random() * values.length)];
      }
      for (let time = 0; time < times; time++) {
        const copy = { ...source };
        let possible = true;
        for (const column of ownPrimary) {
          if (typeof row[column.name] === 'number' || row[column.name] === null) {
            const next = Math.floor(greatest.get(column.name)!) + 1;
            greatest.set(column.name, next);
            copy[column.name] = next;
          } else {
            copy[column.name] = `${String(row[column.name])} ${++copies}`;
          }
        }
        if (ownPrimary.length === 0 && foreignPrimary.length > 0) {
          const moved = foreignPrimary[Math.floor(random() * foreignPrimary.length)]!;
          const values = parentValues(moved.name);
          if (values.length === 0) possible = false;
          else copy[moved.name] = values[Math.floor(random() * values.length)];
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

/** Conditions a row of `table` must meet to be deleted: no declared foreign key refers to it. */
function deleteGuards(schema: SqlSchema, table: string): string[] {
  const guards: string[] = [];
  for (const other of schema.tables)
    for (const foreign of other.foreignKeys)
      if (foreign.refTable === table)
        guards.push(
          `${quoteIdentifier(foreign.refColumn)} NOT IN (SELECT ${quoteIdentifier(foreign.column)} FROM ${quoteIdentifier(other.name)} WHERE ${quoteIdentifier(foreign.column)} IS NOT NULL)`,
        );
  return guards;
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

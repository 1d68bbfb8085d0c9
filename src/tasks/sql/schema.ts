import Database from 'better-sqlite3';
import { DatabaseError } from '../../errors/index.js';

/** One column as SQLite declares it. */
export interface SqlColumn {
  readonly name: string;
  /** Declared type as written (`''` when none); SQLite's affinity comes from it. */
  readonly type: string;
  readonly notNull: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly primaryKey: number;
}

/** A declared foreign key, one column pair (composite keys give one entry per pair). */
export interface SqlForeignKey {
  readonly column: string;
  readonly refTable: string;
  /** The referenced column; the referenced table's primary key when the declaration omits it. */
  readonly refColumn: string;
}

export interface SqlTable {
  readonly name: string;
  readonly columns: readonly SqlColumn[];
  readonly foreignKeys: readonly SqlForeignKey[];
  readonly rowCount: number;
  /** The `CREATE TABLE` statement stored in `sqlite_master`. */
  readonly createSql: string;
}

export interface SqlSchema {
  readonly tables: readonly SqlTable[];
}

/** Quote an identifier for SQLite (`"name"`, doubling inner quotes). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Open a SQLite file read-only for reading knowledge (schema, rows); no writes, no extensions.
 * Throws a one-line `DatabaseError` when it cannot be opened.
 */
export function openReadOnly(path: string): Database.Database {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    db.pragma('trusted_schema = OFF');
    return db;
  } catch (error) {
    throw new DatabaseError(`cannot open database ${path}: ${(error as Error).message}`, path, {
      cause: error,
    });
  }
}

/** Read tables (user tables only, no `sqlite_%`), columns, foreign keys and row counts. */
export function readSqliteSchema(db: Database.Database): SqlSchema {
  const rows = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )
    .all() as { name: string; sql: string | null }[];
  const tables = rows.map(({ name, sql }): SqlTable => {
    const quoted = quoteIdentifier(name);
    const columns = (
      db.prepare(`PRAGMA table_info(${quoted})`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[]
    ).map((column) => ({
      name: column.name,
      type: column.type ?? '',
      notNull: column.notnull === 1,
      primaryKey: column.pk,
    }));
    const primary = columns.filter((column) => column.primaryKey > 0);
    const foreignKeys = (
      db.prepare(`PRAGMA foreign_key_list(${quoted})`).all() as {
        table: string;
        from: string;
        to: string | null;
      }[]
    ).map((key) => ({
      column: key.from,
      refTable: key.table,
      refColumn: key.to ?? primary[0]?.name ?? key.from,
    }));
    const rowCount = (db.prepare(`SELECT count(*) AS n FROM ${quoted}`).get() as { n: number }).n;
    return { name, columns, foreignKeys, rowCount, createSql: sql ?? '' };
  });
  return { tables };
}

/**
 * Up to `k` rows of a table: the first rows, or a uniform random sample that is the same for the
 * same `seed` (rows ordered by a hash of rowid and seed, so no state leaks between calls).
 */
export function sampleTableRows(
  db: Database.Database,
  table: string,
  k: number,
  options: { mode?: 'first' | 'random'; seed?: number } = {},
): Record<string, unknown>[] {
  const quoted = quoteIdentifier(table);
  if (k <= 0) return [];
  if (options.mode !== 'random')
    return db.prepare(`SELECT * FROM ${quoted} LIMIT ?`).all(k) as Record<string, unknown>[];
  const seed = (options.seed ?? 0) | 0;
  // A multiplicative hash of rowid; tables WITHOUT ROWID fall back to the first rows.
  try {
    return db
      .prepare(`SELECT * FROM ${quoted} ORDER BY ((rowid + ?) * 2654435761) % 4294967291 LIMIT ?`)
      .all(seed, k) as Record<string, unknown>[];
  } catch {
    return db.prepare(`SELECT * FROM ${quoted} LIMIT ?`).all(k) as Record<string, unknown>[];
  }
}

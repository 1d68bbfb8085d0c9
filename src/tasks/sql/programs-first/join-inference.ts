import type Database from 'better-sqlite3';
import { quoteIdentifier } from '../schema.js';
import { singularize, splitWords } from './names.js';
import type { TableProfile } from './profile.js';

/** A join along `from.fromColumn = to.toColumn` (`to` is the referenced, key side). */
export interface JoinEdge {
  readonly from: string;
  readonly fromColumn: string;
  readonly to: string;
  readonly toColumn: string;
  /** True when no foreign key declares it: found from names and values. */
  readonly inferred: boolean;
}

/** Share of a column's distinct values that must be found in the key column. */
const MIN_CONTAINMENT = 0.8;
/** The key side must be close to unique: distinct values over rows. */
const MIN_KEY_UNIQUENESS = 0.9;

/**
 * Infer join keys for a database that declares no foreign keys. A pair `A.a -> B.b` is kept when
 * `B.b` is (nearly) unique, most distinct values of `A.a` occur in `B.b`, and the names agree
 * (`a` equals `b`, or `a` is `<B>_<b>`, `<B>_id` and the like) or, for text, the values alone agree
 * (GeoQuery's `border_info.border -> state.state_name`).
 */
export function inferJoins(db: Database.Database, tables: readonly TableProfile[]): JoinEdge[] {
  const edges: JoinEdge[] = [];
  const seen = new Set<string>();
  for (const to of tables) {
    for (const toColumn of to.columns) {
      if (toColumn.distinct < 2 || toColumn.distinct < MIN_KEY_UNIQUENESS * to.rowCount) continue;
      if (toColumn.role !== 'key' && toColumn.role !== 'attribute') continue;
      for (const from of tables) {
        if (from === to) continue;
        for (const fromColumn of from.columns) {
          if (fromColumn.numeric !== toColumn.numeric || fromColumn.distinct < 2) continue;
          if (fromColumn.role !== 'key' && fromColumn.role !== 'attribute') continue;
          const named = namesAgree(fromColumn.name, to.name, toColumn.name);
          // Numbers overlap by chance (small counters); only names make a numeric key.
          if (!named && fromColumn.numeric) continue;
          const key = `${from.name}\u0000${fromColumn.name}\u0000${to.name}\u0000${toColumn.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (containment(db, from.name, fromColumn.name, to.name, toColumn.name) < MIN_CONTAINMENT) continue;
          edges.push({
            from: from.name,
            fromColumn: fromColumn.name,
            to: to.name,
            toColumn: toColumn.name,
            inferred: true,
          });
        }
      }
    }
  }
  return edges;
}

function namesAgree(fromColumn: string, toTable: string, toColumn: string): boolean {
  const words = (name: string) => splitWords(name).map(singularize).join(' ');
  const a = words(fromColumn);
  const b = words(toColumn);
  // Bare `id` and `name` are in every table: equal names alone say nothing.
  if (a === b) return a !== 'id' && a !== 'name';
  const table = words(toTable);
  const bare = b.startsWith(`${table} `) ? b.slice(table.length + 1) : b;
  return a === `${table} ${bare}`;
}

function containment(
  db: Database.Database,
  fromTable: string,
  fromColumn: string,
  toTable: string,
  toColumn: string,
): number {
  const a = quoteIdentifier(fromColumn);
  const row = db
    .prepare(
      `SELECT count(DISTINCT ${a}) AS total, count(DISTINCT CASE WHEN ${a} IN (SELECT ${quoteIdentifier(toColumn)} FROM ${quoteIdentifier(toTable)}) THEN ${a} END) AS found FROM ${quoteIdentifier(fromTable)}`,
    )
    .get() as { total: number; found: number };
  return row.total > 0 ? row.found / row.total : 0;
}

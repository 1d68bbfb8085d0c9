import type Database from 'better-sqlite3';
import type { Random } from '../../../random.js';
import { quoteIdentifier, type SqlSchema, type SqlTable, sampleTableRows } from '../schema.js';
import { inferJoins, type JoinEdge } from './join-inference.js';

/** How a column can be used in a program. */
export type ColumnRole =
  /** A number worth comparing and aggregating (population, age, price). */
  | 'measure'
  /** Short text or a small set of values worth filtering on and grouping by (name, country). */
  | 'attribute'
  /** An identifier or key: joined on, counted, never averaged. */
  | 'key'
  /** Long text, blobs, empty columns: shown at most. */
  | 'other';

/** A column with what the sampler knows about its contents. */
export interface ColumnProfile {
  readonly name: string;
  readonly role: ColumnRole;
  readonly numeric: boolean;
  /** Distinct non-null values seen in a seeded sample of rows (at most 40). */
  readonly values: readonly (string | number)[];
  /** Distinct non-null values in the whole column. */
  readonly distinct: number;
}

/** A table with rows, and its usable columns. */
export interface TableProfile {
  readonly name: string;
  readonly rowCount: number;
  readonly columns: readonly ColumnProfile[];
}

/** Everything the program sampler draws from. */
export interface DatabaseProfile {
  readonly tables: readonly TableProfile[];
  /** Join edges: declared foreign keys, or keys inferred from names and values when none are declared. */
  readonly joins: readonly JoinEdge[];
  readonly joinsInferred: boolean;
}

const SAMPLE_ROWS = 200;
const MAX_VALUES = 40;
const LONG_TEXT = 60;
const EXACT_DISTINCT_LIMIT = 500_000;

/**
 * Profile a database for sampling: per column, its role and a seeded sample of real values; join
 * edges from declared foreign keys or, when none are declared, inferred ones. Tables without rows
 * are left out (no program on them can return anything).
 */
export function profileDatabase(db: Database.Database, schema: SqlSchema, random: Random): DatabaseProfile {
  const seed = random.int(2 ** 31);
  const tables = schema.tables
    .filter((table) => table.rowCount > 0 && table.columns.length > 0)
    .map((table) => profileTable(db, table, seed));
  const declared = schema.tables.some((table) => table.foreignKeys.length > 0);
  const joins = declared ? declaredJoins(schema, tables) : inferJoins(db, tables);
  return { tables, joins, joinsInferred: !declared };
}

function profileTable(db: Database.Database, table: SqlTable, seed: number): TableProfile {
  const rows = sampleTableRows(db, table.name, SAMPLE_ROWS, { mode: 'random', seed });
  const keyColumns = new Set([
    ...table.foreignKeys.map((key) => key.column),
    ...table.columns.filter((column) => column.primaryKey > 0).map((column) => column.name),
  ]);
  const columns = table.columns.map((column): ColumnProfile => {
    const seen = new Map<string, string | number>();
    let numbers = 0;
    let texts = 0;
    let longest = 0;
    for (const row of rows) {
      const value = row[column.name];
      if (typeof value === 'number' || typeof value === 'bigint') {
        numbers++;
        if (seen.size < MAX_VALUES) seen.set(`n${value}`, Number(value));
      } else if (typeof value === 'string' && value.trim() !== '') {
        texts++;
        longest = Math.max(longest, value.length);
        if (seen.size < MAX_VALUES) seen.set(`s${value}`, value);
      }
    }
    // Exact on ordinary tables; on very large ones the sample stands in (a full DISTINCT over
    // millions of rows would cost more than the whole sampling run).
    const distinct =
      table.rowCount > EXACT_DISTINCT_LIMIT
        ? distinctInSample(rows, column.name, table.rowCount)
        : (
            db
              .prepare(
                `SELECT count(DISTINCT ${quoteIdentifier(column.name)}) AS n FROM ${quoteIdentifier(table.name)}`,
              )
              .get() as { n: number }
          ).n;
    const numeric = numbers > 0 && numbers >= texts;
    const keyLike = keyColumns.has(column.name) || /(^|_|\b)id$|Id$|ID$|_code$/.test(column.name);
    let role: ColumnRole;
    if (seen.size === 0) role = 'other';
    else if (keyLike) role = 'key';
    else if (numeric) role = 'measure';
    else if (longest <= LONG_TEXT) role = 'attribute';
    else role = 'other';
    return { name: column.name, role, numeric, values: [...seen.values()], distinct };
  });
  return { name: table.name, rowCount: table.rowCount, columns };
}

/** Distinct values in the sample; all distinct reads as unique in the whole table (a key). */
function distinctInSample(
  rows: readonly Record<string, unknown>[],
  column: string,
  rowCount: number,
): number {
  const values = new Set<unknown>();
  for (const row of rows) if (row[column] !== null && row[column] !== undefined) values.add(row[column]);
  return values.size === rows.length ? rowCount : values.size;
}

function declaredJoins(schema: SqlSchema, tables: readonly TableProfile[]): JoinEdge[] {
  const byName = new Map(tables.map((table) => [table.name.toLowerCase(), table]));
  const edges: JoinEdge[] = [];
  for (const table of schema.tables) {
    const from = byName.get(table.name.toLowerCase());
    if (!from) continue;
    for (const key of table.foreignKeys) {
      const to = byName.get(key.refTable.toLowerCase());
      if (!to) continue;
      const fromColumn = from.columns.find(
        (column) => column.name.toLowerCase() === key.column.toLowerCase(),
      );
      const toColumn = to.columns.find((column) => column.name.toLowerCase() === key.refColumn.toLowerCase());
      if (!fromColumn || !toColumn) continue;
      edges.push({
        from: from.name,
        fromColumn: fromColumn.name,
        to: to.name,
        toColumn: toColumn.name,
        inferred: false,
      });
    }
  }
  return edges;
}

import type Database from 'better-sqlite3';
import { type TextNumberColumn, textNumberColumns } from './checks/type-trap.js';
import {
  openReadOnly,
  quoteIdentifier,
  readSqliteSchema,
  type SqlSchema,
  sampleTableRows,
} from './schema.js';
import { buildValueIndex, type ValueIndex, type ValueMatch } from './value-index.js';

/** How much of a database goes into a prompt. */
export interface SqlKnowledgeOptions {
  /** Example rows per table. */
  readonly rows: number;
  readonly rowSelection: 'first' | 'random';
  /** Most matched cell values shown for a question (0: none). */
  readonly matchedValues: number;
}

/** What a prompt shows of one database. */
export interface SqlKnowledgeView {
  /** CREATE TABLE statements, each followed by its example rows. */
  readonly text: string;
  readonly matches: readonly ValueMatch[];
}

/**
 * The symbolic knowledge of one SQLite database, as SymGen's informative prompt shows it: the schema
 * as CREATE TABLE statements, k rows of each table (first or a seeded random sample) and, for a
 * question, the cell values matching its words (tables with matches show the matching rows, as
 * SymGen's `db_content_matching` does). The database is opened read-only once; the value index is
 * built on first use.
 */
export class SqlKnowledge {
  readonly schema: SqlSchema;
  private index: ValueIndex | undefined;
  private textNumbers: readonly TextNumberColumn[] | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly options: SqlKnowledgeOptions,
  ) {
    this.schema = readSqliteSchema(db);
  }

  static open(path: string, options: SqlKnowledgeOptions): SqlKnowledge {
    return new SqlKnowledge(openReadOnly(path), options);
  }

  /** Cell values matching words of `question`. */
  matches(question: string): ValueMatch[] {
    if (this.options.matchedValues <= 0) return [];
    this.index ??= buildValueIndex(this.db, this.schema);
    return this.index.match(question, this.options.matchedValues);
  }

  /** Render the knowledge; with a `question`, tables holding matched values show the matching rows. */
  view(options: { seed: number; question?: string }): SqlKnowledgeView {
    const matches = options.question === undefined ? [] : this.matches(options.question);
    this.textNumbers ??= textNumberColumns(this.db, this.schema);
    const parts: string[] = [];
    for (const table of this.schema.tables) {
      parts.push(table.createSql.trim().replace(/;?$/, ';'));
      // where the declared type and the values disagree, say so: SQLite compares such text as text
      for (const column of this.textNumbers.filter((entry) => entry.table === table.name))
        parts.push(
          `-- ${table.name}.${column.column} is declared ${column.declared || 'without a type'} but holds numbers as text (${column.examples.map((value) => `'${value}'`).join(', ')}): compare or order it as CAST(${column.column} AS REAL)`,
        );
      const rows = this.rowsOf(table.name, matches, options.seed);
      if (this.options.rows > 0 && rows.rows.length > 0) parts.push(formatRows(rows.header, rows.rows));
      parts.push('');
    }
    return { text: parts.join('\n').trim(), matches };
  }

  close(): void {
    this.db.close();
  }

  /** The rows shown for a table, with a header saying which rows they are. */
  private rowsOf(
    table: string,
    matches: readonly ValueMatch[],
    seed: number,
  ): { header: string[]; rows: Record<string, unknown>[] } {
    const k = this.options.rows;
    if (k <= 0) return { header: [], rows: [] };
    const own = matches.filter((match) => match.table === table);
    if (own.length > 0) {
      const where = own.map((match) => `${quoteIdentifier(match.column)} = ?`).join(' OR ');
      const found = this.db
        .prepare(`SELECT DISTINCT * FROM ${quoteIdentifier(table)} WHERE ${where} LIMIT ?`)
        .all(...own.map((match) => match.value), k) as Record<string, unknown>[];
      if (found.length > 0) {
        const shown = own.map((match) => `${match.column} = ${match.literal}`).join(' OR ');
        return {
          header: [
            `${found.length} rows of table ${table} holding values of the question:`,
            `SELECT DISTINCT * FROM ${table} WHERE ${shown} LIMIT ${k};`,
          ],
          rows: found,
        };
      }
    }
    const rows = sampleTableRows(this.db, table, k, { mode: this.options.rowSelection, seed });
    return {
      header:
        this.options.rowSelection === 'first'
          ? [
              `${rows.length} example rows from table ${table} (the first):`,
              `SELECT * FROM ${table} LIMIT ${k};`,
            ]
          : [`${rows.length} example rows from table ${table}, drawn at random (not the first rows):`],
      rows,
    };
  }
}

function formatRows(header: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const lines = [
    '/*',
    ...header,
    columns.join('\t'),
    ...rows.map((row) => columns.map((column) => formatCell(row[column])).join('\t')),
    '*/',
  ];
  return lines.join('\n');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return `<blob ${value.length} bytes>`;
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

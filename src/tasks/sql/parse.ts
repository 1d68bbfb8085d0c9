import { format, init, parse } from '@guanmingchiu/sqlparser-ts';

/** A parsed SQL statement: sqlparser-rs's AST of the first statement (a `Query`). */
export interface SqlAst {
  readonly query: Record<string, unknown>;
}

let ready: Promise<void> | undefined;

/** Load the SQL parser (WebAssembly). Call once before {@link parseSql}; later calls are free. */
export function loadSqlParser(): Promise<void> {
  ready ??= init();
  return ready;
}

/**
 * Parse a query with a real SQL parser (sqlparser-rs, SQLite dialect). Returns `null` when it does
 * not parse or is not a query; callers fall back to text. {@link loadSqlParser} must have resolved.
 */
export function parseSql(sql: string): SqlAst | null {
  try {
    const statements = parse(sql, 'sqlite') as unknown as Record<string, unknown>[];
    const query = statements[0]?.Query;
    return query && typeof query === 'object' ? { query: query as Record<string, unknown> } : null;
  } catch {
    // Not every SQLite query is in sqlparser's dialect: the caller falls back to text.
    return null;
  }
}

/** The parser's canonical rendering of a query, or `null` when it does not parse. */
export function formatSql(sql: string): string | null {
  try {
    return format(sql, 'sqlite');
  } catch {
    // See parseSql: unparsable SQL falls back to text.
    return null;
  }
}

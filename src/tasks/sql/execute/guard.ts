import { type SqlToken, tokenizeSql } from '../tokenize.js';

const QUERY_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES']);

/**
 * First line of defence before a statement reaches SQLite: only queries (SELECT, WITH, VALUES) that
 * read the database's own tables pass. Returns why the statement is refused, or `null`. The
 * connection is read-only and query-only as well, and the prepared statement must be a read-only
 * reader: this check gives the clearer message.
 */
export function refusalReason(sql: string): string | null {
  const tokens = tokenizeSql(sql, 64);
  if (tokens.length === 0) return 'empty statement';
  const first = tokens.find((token) => token.text !== '(');
  if (!first) return 'only read-only queries may run (no keyword in the first 64 tokens)';
  const keyword = first.text.toUpperCase();
  if (first.kind !== 'word' || !QUERY_KEYWORDS.has(keyword)) {
    return `only read-only queries may run (got ${first.text.slice(0, 20)})`;
  }
  return catalogueReason(sql);
}

const QUERY_START = /^(?:\( )*(?:select|with|values)(?: |$)/;

/**
 * {@link refusalReason} read from the parent's cheap normal form of the statement (`normaliseSql`:
 * comments dropped, keywords lower-cased, tokens joined by one space), without tokenizing again
 * unless the text names something in SQLite's catalogue.
 */
export function refusalReasonNormalised(normalised: string): string | null {
  if (normalised.length === 0) return 'empty statement';
  if (QUERY_START.test(normalised)) return catalogueReason(normalised);
  const first = normalised.replace(/^(?:\( )*/, '').split(' ', 1)[0] ?? '';
  return `only read-only queries may run (got ${first.slice(0, 20)})`;
}

/**
 * SQLite's scalar functions named `sqlite_*`: they read no table. Every other `sqlite_*` name is
 * SQLite's own (sqlite_master, sqlite_schema, sqlite_temp_master, sqlite_sequence, sqlite_stat1..4,
 * sqlite_dbpage): no database may create an object so named.
 */
const SQLITE_SCALAR_FUNCTIONS = new Set([
  'sqlite_version',
  'sqlite_source_id',
  'sqlite_compileoption_get',
  'sqlite_compileoption_used',
  'sqlite_offset',
]);

/**
 * SQLite's pragmas (every build's, debugging ones included): `pragma_<name>` is the pragma's
 * table-valued function. native/symgen_guard.c's authorizer refuses reading the same names.
 */
export const PRAGMA_NAMES: ReadonlySet<string> = new Set([
  'activate_extensions',
  'analysis_limit',
  'application_id',
  'auto_vacuum',
  'automatic_index',
  'busy_timeout',
  'cache_size',
  'cache_spill',
  'case_sensitive_like',
  'cell_size_check',
  'checkpoint_fullfsync',
  'collation_list',
  'compile_options',
  'count_changes',
  'data_store_directory',
  'data_version',
  'database_list',
  'default_cache_size',
  'defer_foreign_keys',
  'empty_result_callbacks',
  'encoding',
  'foreign_key_check',
  'foreign_key_list',
  'foreign_keys',
  'freelist_count',
  'full_column_names',
  'fullfsync',
  'function_list',
  'hard_heap_limit',
  'hexkey',
  'hexrekey',
  'ignore_check_constraints',
  'incremental_vacuum',
  'index_info',
  'index_list',
  'index_xinfo',
  'integrity_check',
  'journal_mode',
  'journal_size_limit',
  'key',
  'legacy_alter_table',
  'legacy_file_format',
  'lock_proxy_file',
  'lock_status',
  'locking_mode',
  'max_page_count',
  'mmap_size',
  'module_list',
  'optimize',
  'page_count',
  'page_size',
  'parser_trace',
  'pragma_list',
  'query_only',
  'quick_check',
  'read_uncommitted',
  'recursive_triggers',
  'rekey',
  'reverse_unordered_selects',
  'schema_version',
  'secure_delete',
  'short_column_names',
  'shrink_memory',
  'soft_heap_limit',
  'sql_trace',
  'stats',
  'synchronous',
  'table_info',
  'table_list',
  'table_xinfo',
  'temp_store',
  'temp_store_directory',
  'textkey',
  'textrekey',
  'threads',
  'trusted_schema',
  'user_version',
  'vdbe_addoptrace',
  'vdbe_debug',
  'vdbe_listing',
  'vdbe_trace',
  'wal_autocheckpoint',
  'wal_checkpoint',
  'writable_schema',
]);

const MENTIONS_CATALOGUE = /sqlite_|pragma_/i;

/**
 * Why a query that names SQLite's catalogue (`sqlite_master` and the other `sqlite_*` tables) or a
 * pragma function (`pragma_database_list`, `pragma_table_info(...)`) is refused, or `null`. They
 * describe the database file, not its data, so they are never an answer (and `pragma_database_list`
 * would write the database's absolute path into the output). Names are matched as SQLite resolves
 * them: case-insensitively, quoted or not, with or without a schema; string literals never match.
 */
export function catalogueReason(sql: string): string | null {
  if (!MENTIONS_CATALOGUE.test(sql)) return null;
  const tokens = tokenizeSql(sql);
  for (let index = 0; index < tokens.length; index++) {
    const name = identifierName(tokens[index]!);
    if (name === undefined) continue;
    if (name.startsWith('sqlite_')) {
      const call = tokens[index + 1]?.text === '(';
      if (call && SQLITE_SCALAR_FUNCTIONS.has(name)) continue;
      return `only the database's own tables may be read (got ${name.slice(0, 40)}, SQLite's catalogue)`;
    }
    if (name.startsWith('pragma_') && PRAGMA_NAMES.has(name.slice('pragma_'.length))) {
      return `only the database's own tables may be read (got ${name.slice(0, 40)}, a pragma function)`;
    }
  }
  return null;
}

/** The lower-cased name a word or quoted identifier stands for; undefined for other tokens. */
function identifierName(token: SqlToken): string | undefined {
  if (token.kind === 'word') return token.text.toLowerCase();
  if (token.kind !== 'quoted-identifier') return undefined;
  const { text } = token;
  const open = text[0]!;
  const close = open === '[' ? ']' : open;
  const inner = text.endsWith(close) && text.length > 1 ? text.slice(1, -1) : text.slice(1);
  return (open === '[' ? inner : inner.replaceAll(close + close, close)).toLowerCase();
}

/**
 * The SQL task plugin itself, apart from the SQL public surface (`index.ts`), so that loading the
 * task for `symgen verify --task sql` costs little: its file verifier loads on first use.
 */
import type { TaskPlugin } from '../spec.js';
import { sqlResultChecks } from './checks/result-checks.js';
import { checkTypeTraps } from './checks/type-trap.js';
import { SqliteExecutor, type SqliteExecutorOptions } from './execute/sqlite-executor.js';
import { extractSql } from './extract.js';
import { sqlFeatures } from './features.js';
import { sqlGeneration } from './generation.js';
import { HARDNESS_LEVELS } from './hardness.js';
import { sqlResultsMatch } from './matches.js';
import { sqlModelTokenizer } from './model-tokens.js';
import { normaliseSql } from './normalise.js';
import { loadSqlParser } from './parse.js';
import { prepareSql } from './prepare.js';
import { openReadOnly, readSqliteSchema } from './schema.js';
import { sqlTemplate } from './template.js';
import { neighbourDatabases } from './test-suite/neighbours.js';
import { tokenizeSql } from './tokenize.js';

/** The SQL task plugin. `features` needs the parser loaded (`loadSqlParser`). */
export const sqlTask: TaskPlugin<SqliteExecutorOptions> = {
  id: 'sql',
  extract: extractSql,
  normalise: normaliseSql,
  prepare: prepareSql,
  createExecutor: (options) => new SqliteExecutor(options),
  features: (program) => ({ ...sqlFeatures(program) }),
  // In order when the gold orders more than one row, else as multisets (Spider's execution accuracy).
  matches: sqlResultsMatch,
  check: checkTypeTraps,
  // Neighbour databases (--test-suite K) and result checks (--checks): src/tasks/sql/test-suite, checks.
  testSuite: neighbourDatabases,
  checks: sqlResultChecks,
  ready: loadSqlParser,
  // Worker threads with statements run in C; `taskOptions.db` is `--db`.
  verifyFile: async (request) => (await import('./verify-file.js')).verifySqlRequest(request),
  template: sqlTemplate,
  // evaluate --dataset: n-grams of the lexer's tokens, and tables and columns of the databases read
  tokens: (program) => tokenizeSql(program).map((token) => token.text),
  schema: (source) => {
    if (!source.path) return { tables: [] };
    const db = openReadOnly(source.path);
    try {
      return readSqliteSchema(db);
    } finally {
      db.close();
    }
  },
  ...sqlGeneration,
  // the gold of `symgen evaluate`: a line's `program`, `query` or `sql` (Spider's plain `SQL<TAB>db_id` lines too)
  reference: (record) => {
    const program = sqlGoldProgram(record);
    return program === undefined ? null : { program };
  },
  // evaluate breaks execution accuracy down by Spider hardness (and by database)
  breakdown: { feature: 'hardness', levels: HARDNESS_LEVELS },
  modelTokens: sqlModelTokenizer,
};

/** The program of a SQL gold line. */
function sqlGoldProgram(record: Readonly<Record<string, unknown>>): string | undefined {
  const field = ['program', 'query', 'sql', 'gold'].find((name) => typeof record[name] === 'string');
  if (field === undefined) return undefined;
  const text = record[field] as string;
  return record.db_id === undefined && text.includes('\t') ? text.split('\t')[0]!.trim() : text;
}

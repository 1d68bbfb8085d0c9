/**
 * The SQL task (SQLite).
 * - Input: model text holding a query (code fences, prose, or a continuation after `SELECT`).
 * - Output: the extracted query, its execution result keys on a read-only database, its features.
 * - Equal: two queries are equal when their results compare equal under the executor's
 *   `CompareMode` (see `execute/result-key.ts`: multiset by default, list when ordered).
 * - References: Ye et al. 2023 (SymGen); Yu et al. 2018 (Spider hardness); Zhong et al. 2020
 *   (test-suite accuracy, column permutations).
 */

export { sqlResultChecks } from './checks/result-checks.js';
export {
  checkTypeTraps,
  describeTypeTraps,
  findTypeTraps,
  type TextNumberColumn,
  type TypeTrap,
  textNumberColumns,
} from './checks/type-trap.js';
export { type DatabaseEnvironment, DatabaseSet } from './databases.js';
export { extractSql } from './extract.js';
export { type SqlFeatures, sqlFeatures } from './features.js';
export { sampleSql, sqlConditions, sqlKnowledge, sqlSources } from './generation.js';
export {
  HARDNESS_LEVELS,
  type Hardness,
  type HardnessCounts,
  hardnessCounts,
  hardnessFromCounts,
  hardnessOf,
} from './hardness.js';
export { SqlKnowledge, type SqlKnowledgeOptions, type SqlKnowledgeView } from './knowledge.js';
export { normaliseSql } from './normalise.js';
export { formatSql, loadSqlParser, parseSql, type SqlAst } from './parse.js';
export { prepareSql } from './prepare.js';
export { sqlPrompts } from './prompts.js';
export {
  openReadOnly,
  quoteIdentifier,
  readSqliteSchema,
  type SqlColumn,
  type SqlForeignKey,
  type SqlSchema,
  type SqlTable,
  sampleTableRows,
} from './schema.js';
export { sqlTask } from './task.js';

import type { VerifySummary } from '../../verify/summary.js';
import type { VerifyFileOptions } from './verify-file.js';

export { sqlVerifierProvenance } from './provenance.js';
export { collectLiterals, type SqlLiterals } from './test-suite/literals.js';
export { defaultNeighbourDir, type NeighbourOptions, neighbourDatabases } from './test-suite/neighbours.js';
export { isKeyword, type SqlToken, type SqlTokenKind, tokenizeSql } from './tokenize.js';
export type { VerifyFileOptions } from './verify-file.js';

/**
 * Verify a JSONL file of SQL candidates (see `./verify-file.ts`); its thread pool loads on first use,
 * so importing the SQL task's surface stays light.
 */
export async function verifySqlFile(options: VerifyFileOptions): Promise<VerifySummary> {
  return (await import('./verify-file.js')).verifySqlFile(options);
}

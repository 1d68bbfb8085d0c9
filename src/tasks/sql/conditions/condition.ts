import type { Hardness } from '../hardness.js';

/** What one generated program (or question) should be: a hardness, the tables it uses, its clauses. */
export interface SqlCondition {
  /** Spider hardness the program should have. */
  hardness: Hardness;
  /** Tables the program (or question) should use, as the schema names them. */
  tables: string[];
  /** Clause names as in `SqlFeatures` (`where`, `group-by`, `join`, `subquery`, `union`, ...). */
  clauses: string[];
}

/** Clause names a condition may ask for, in the order they are described. */
export const CONDITION_CLAUSES = [
  'join',
  'where',
  'like',
  'aggregate',
  'group-by',
  'having',
  'order-by',
  'limit',
  'distinct',
  'subquery',
  'union',
  'intersect',
  'except',
] as const;

export type ConditionClause = (typeof CONDITION_CLAUSES)[number];

/**
 * Share of programs that should use each clause when the caller gives none: close to the share of
 * Spider's gold queries using it (dev and test sets), so a sampled dataset looks like Spider's.
 */
export const DEFAULT_CLAUSE_TARGETS: Readonly<Record<ConditionClause, number>> = {
  join: 0.4,
  where: 0.5,
  like: 0.05,
  aggregate: 0.45,
  'group-by': 0.25,
  having: 0.07,
  'order-by': 0.25,
  limit: 0.15,
  distinct: 0.06,
  subquery: 0.15,
  union: 0.02,
  intersect: 0.04,
  except: 0.04,
};

/** Spider dev's hardness mix (about 24% easy, 43% medium, 17% hard, 16% extra), rounded. */
export const DEFAULT_HARDNESS_MIX: Readonly<Record<Hardness, number>> = {
  easy: 0.25,
  medium: 0.4,
  hard: 0.2,
  extra: 0.15,
};

/** Clauses that fit each hardness level (Spider counts them; see `tasks/sql/hardness.ts`). */
export const CLAUSES_BY_HARDNESS: Readonly<Record<Hardness, readonly ConditionClause[]>> = {
  easy: ['where', 'aggregate', 'group-by', 'having', 'order-by', 'distinct'],
  medium: ['join', 'where', 'like', 'aggregate', 'group-by', 'having', 'order-by', 'limit', 'distinct'],
  hard: CONDITION_CLAUSES,
  extra: CONDITION_CLAUSES,
};

/** Most clauses a condition asks for at each level, so a request stays satisfiable. */
export const MAX_CLAUSES: Readonly<Record<Hardness, number>> = { easy: 1, medium: 2, hard: 3, extra: 4 };

const SQL_NAMES: Readonly<Record<string, string>> = {
  join: 'a JOIN',
  where: 'a WHERE filter',
  like: 'LIKE',
  aggregate: 'an aggregate (COUNT, SUM, AVG, MIN or MAX)',
  'group-by': 'GROUP BY',
  having: 'HAVING',
  'order-by': 'ORDER BY',
  limit: 'LIMIT',
  distinct: 'DISTINCT',
  subquery: 'a nested query',
  union: 'UNION',
  intersect: 'INTERSECT',
  except: 'EXCEPT',
};

/**
 * English text for a prompt.
 * @example
 * describeCondition({ hardness: 'hard', tables: ['city', 'state'], clauses: ['group-by'] });
 * // 'a hard question about city and state that uses GROUP BY'
 */
export function describeCondition(condition: SqlCondition): string {
  const article = condition.hardness === 'easy' || condition.hardness === 'extra' ? 'an' : 'a';
  const level = condition.hardness === 'extra' ? 'extra hard' : condition.hardness;
  let text = `${article} ${level} question`;
  if (condition.tables.length > 0) text += ` about ${listWords(condition.tables)}`;
  if (condition.clauses.length > 0)
    text += ` that uses ${listWords(condition.clauses.map((clause) => SQL_NAMES[clause] ?? clause))}`;
  return text;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

import type { SqlFeatures } from '../../tasks/sql/features.js';
import { HARDNESS_LEVELS, type Hardness } from '../../tasks/sql/hardness.js';

/**
 * A target mix of programs: the share of each hardness level (summing to 1), and the share of
 * programs using each clause and reading each table (each from 0 to 1). Measured on the
 * demonstrations or on a reference dataset, or set in the config.
 */
export interface MixTarget {
  readonly hardness: Partial<Record<Hardness, number>>;
  readonly clauses: Readonly<Record<string, number>>;
  readonly tables: Readonly<Record<string, number>>;
  /** Programs it was measured on (0 when set by hand). */
  readonly programs: number;
}

/** The mix of a set of programs' features; programs that do not parse are left out. */
export function measureMix(features: readonly SqlFeatures[]): MixTarget {
  const parsed = features.filter((entry) => entry.hardness !== 'unknown');
  const n = parsed.length;
  const hardness: Partial<Record<Hardness, number>> = {};
  const clauses: Record<string, number> = {};
  const tables: Record<string, number> = {};
  for (const entry of parsed) {
    const level = entry.hardness as Hardness;
    hardness[level] = (hardness[level] ?? 0) + 1;
    for (const clause of new Set(entry.clauses)) clauses[clause] = (clauses[clause] ?? 0) + 1;
    for (const table of new Set(entry.tables.map((name) => name.toLowerCase())))
      tables[table] = (tables[table] ?? 0) + 1;
  }
  const share = (record: Record<string, number>) => {
    for (const key of Object.keys(record)) record[key] = n > 0 ? record[key]! / n : 0;
    return record;
  };
  return {
    hardness: share(hardness) as Partial<Record<Hardness, number>>,
    clauses: share(clauses),
    tables: share(tables),
    programs: n,
  };
}

/** How far a produced mix is from its target. */
export interface MixDivergence {
  /** Total variation distance between the hardness distributions (0: equal, 1: disjoint). */
  readonly hardness: number;
  /** Mean absolute difference of clause shares over the clauses either side uses. */
  readonly clauses: number;
  /** Mean absolute difference of table shares over the tables either side reads. */
  readonly tables: number;
}

/**
 * The divergence of `produced` from `target`. Table shares are compared only when the target names
 * tables (a target measured on other databases says nothing about this one's tables).
 */
export function mixDivergence(target: MixTarget, produced: MixTarget): MixDivergence {
  const levels = HARDNESS_LEVELS;
  const targetTotal = levels.reduce((sum, level) => sum + (target.hardness[level] ?? 0), 0) || 1;
  const hardness =
    0.5 *
    levels.reduce(
      (sum, level) =>
        sum + Math.abs((target.hardness[level] ?? 0) / targetTotal - (produced.hardness[level] ?? 0)),
      0,
    );
  const meanDifference = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) => {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    if (keys.size === 0) return 0;
    let sum = 0;
    for (const key of keys) sum += Math.abs((a[key] ?? 0) - (b[key] ?? 0));
    return sum / keys.size;
  };
  const lower = (record: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
  return {
    hardness: round(hardness),
    clauses: round(meanDifference(target.clauses, produced.clauses)),
    tables:
      Object.keys(target.tables).length === 0
        ? 0
        : round(meanDifference(lower(target.tables), lower(produced.tables))),
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

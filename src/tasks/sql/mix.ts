import type { SqlFeatures } from './features.js';
import { HARDNESS_LEVELS, type Hardness } from './hardness.js';

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

/** The mix of a set of programs' features (each counted with its weight, 1 by default); programs that do not parse are left out. */
export function measureMix(features: readonly SqlFeatures[], weights?: readonly number[]): MixTarget {
  const hardness: Partial<Record<Hardness, number>> = {};
  const clauses: Record<string, number> = {};
  const tables: Record<string, number> = {};
  let n = 0;
  let programs = 0;
  features.forEach((entry, index) => {
    if (entry.hardness === 'unknown') return;
    const weight = weights?.[index] ?? 1;
    n += weight;
    programs++;
    const level = entry.hardness as Hardness;
    hardness[level] = (hardness[level] ?? 0) + weight;
    for (const clause of new Set(entry.clauses)) clauses[clause] = (clauses[clause] ?? 0) + weight;
    for (const table of new Set(entry.tables.map((name) => name.toLowerCase())))
      tables[table] = (tables[table] ?? 0) + weight;
  });
  const share = (record: Record<string, number>) => {
    for (const key of Object.keys(record)) record[key] = n > 0 ? record[key]! / n : 0;
    return record;
  };
  return {
    hardness: share(hardness) as Partial<Record<Hardness, number>>,
    clauses: share(clauses),
    tables: share(tables),
    programs,
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

/** Options of {@link mixWeights}. */
export interface MixWeightOptions {
  /** Which parts of the mix to match. @default ['hardness', 'clauses'] */
  readonly parts?: readonly ('hardness' | 'clauses' | 'tables')[];
  /** No example's factor goes above this or below its inverse. @default 10 */
  readonly maxFactor?: number;
  /** Raking passes. @default 20 */
  readonly iterations?: number;
}

/**
 * Factors that bring the weighted mix of `features` to `target` (iterative proportional fitting,
 * "raking", over the hardness levels and each clause and table as a yes/no margin), clipped to
 * [1/maxFactor, maxFactor]. Programs that do not parse keep factor 1. Levels, clauses or tables the
 * data lacks cannot be created: their target share is left unmatched.
 */
export function mixWeights(
  features: readonly SqlFeatures[],
  target: MixTarget,
  options: MixWeightOptions = {},
): number[] {
  const parts = new Set(options.parts ?? ['hardness', 'clauses']);
  const maxFactor = options.maxFactor ?? 10;
  const factors = features.map(() => 1);
  const parsed = features
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.hardness !== 'unknown');
  if (parsed.length === 0) return factors;
  const clip = (value: number) => Math.min(maxFactor, Math.max(1 / maxFactor, value));
  const targetTotal = HARDNESS_LEVELS.reduce((sum, level) => sum + (target.hardness[level] ?? 0), 0);
  for (let pass = 0; pass < (options.iterations ?? 20); pass++) {
    if (parts.has('hardness') && targetTotal > 0) {
      const mass = new Map<string, number>();
      let total = 0;
      for (const { entry, index } of parsed) {
        mass.set(entry.hardness, (mass.get(entry.hardness) ?? 0) + factors[index]!);
        total += factors[index]!;
      }
      // only levels the data has share the target
      const present = HARDNESS_LEVELS.filter((level) => (mass.get(level) ?? 0) > 0);
      const wanted = present.reduce((sum, level) => sum + (target.hardness[level] ?? 0), 0);
      if (wanted > 0)
        for (const { entry, index } of parsed) {
          const share = (target.hardness[entry.hardness as Hardness] ?? 0) / wanted;
          factors[index] = clip((factors[index]! * (share * total)) / mass.get(entry.hardness)!);
        }
    }
    const binary = (part: 'clauses' | 'tables', has: (entry: SqlFeatures, key: string) => boolean) => {
      const goals = part === 'clauses' ? target.clauses : target.tables;
      for (const [key, goal] of Object.entries(goals)) {
        let yes = 0;
        let total = 0;
        for (const { entry, index } of parsed) {
          total += factors[index]!;
          if (has(entry, key)) yes += factors[index]!;
        }
        if (yes === 0 || yes === total) continue;
        const bounded = Math.min(0.99, Math.max(0.01, goal));
        for (const { entry, index } of parsed) {
          const scale = has(entry, key) ? (bounded * total) / yes : ((1 - bounded) * total) / (total - yes);
          factors[index] = clip(factors[index]! * scale);
        }
      }
    };
    if (parts.has('clauses')) binary('clauses', (entry, key) => entry.clauses.includes(key));
    if (parts.has('tables'))
      binary('tables', (entry, key) =>
        entry.tables.some((table) => table.toLowerCase() === key.toLowerCase()),
      );
  }
  return factors;
}

/**
 * The mix the rest of `quota` should have for the whole to reach `target`, given the pairs made so
 * far: each hardness level's and clause's missing count over the pairs left (clipped to [0, 1]).
 */
export function remainingMix(target: MixTarget, made: readonly SqlFeatures[], quota: number): MixTarget {
  const left = Math.max(1, quota - made.length);
  const count = (test: (features: SqlFeatures) => boolean) => made.filter(test).length;
  const hardness: Record<string, number> = {};
  for (const [level, share] of Object.entries(target.hardness))
    hardness[level] = Math.max(0, (share ?? 0) * quota - count((features) => features.hardness === level));
  const total = Object.values(hardness).reduce((sum, value) => sum + value, 0);
  const clauses: Record<string, number> = {};
  for (const [clause, share] of Object.entries(target.clauses))
    clauses[clause] = Math.min(
      1,
      Math.max(0, (share * quota - count((features) => features.clauses.includes(clause))) / left),
    );
  return {
    ...target,
    hardness:
      total > 0
        ? Object.fromEntries(Object.entries(hardness).map(([level, value]) => [level, value / total]))
        : target.hardness,
    clauses,
  };
}

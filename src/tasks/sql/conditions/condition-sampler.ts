import { InputError } from '../../../errors/index.js';
import { createRandom } from '../../../random.js';
import type { SqlFeatures } from '../features.js';
import { HARDNESS_LEVELS, type Hardness } from '../hardness.js';
import type { SqlSchema } from '../schema.js';
import {
  CLAUSES_BY_HARDNESS,
  type ConditionClause,
  DEFAULT_CLAUSE_TARGETS,
  DEFAULT_HARDNESS_MIX,
  MAX_CLAUSES,
  type SqlCondition,
} from './condition.js';

/** What has been produced so far, as shares of the programs observed (0 to 1). */
export interface ConditionCoverage {
  hardness: Record<string, number>;
  tables: Record<string, number>;
  clauses: Record<string, number>;
}

/** Draws conditions and adapts its weights to what was actually produced. */
export interface SqlConditionSampler {
  /** The next condition; the same seed and the same observations give the same sequence. */
  next(): SqlCondition;
  /** Record what a program actually had; later draws lean toward what is still missing. */
  observe(features: SqlFeatures): void;
  /** Shares of observed programs by hardness, table and clause. */
  coverage(): ConditionCoverage;
  /** How many programs were observed. */
  readonly observed: number;
}

/** Options of {@link createSqlConditionSampler}. */
export interface SqlConditionSamplerOptions {
  seed: number;
  /** Target share of each hardness level (normalised; missing levels get 0). @default Spider dev's mix */
  hardnessMix?: Partial<Record<Hardness, number>>;
  /** Target share of programs using each clause. @default {@link DEFAULT_CLAUSE_TARGETS} */
  clauseTargets?: Partial<Record<ConditionClause, number>>;
  /**
   * Target share of programs reading each table (lower-cased names; tables of the schema only).
   * @default equal shares of the tables with rows
   */
  tableTargets?: Readonly<Record<string, number>>;
  /**
   * Table pairs that can be joined (both directions are used). @default the schema's declared
   * foreign keys
   */
  joins?: readonly { from: string; to: string }[];
}

/** How strongly a clause's shortfall raises its chance of being asked for. */
const CLAUSE_GAIN = 2;

/**
 * Dataset-wise decomposition: conditions that change round by round until the target mix of
 * hardness levels, tables and clauses is covered. Each draw weights every level, table and clause by
 * how far its observed share is below its target, so what the generator fails to produce gets asked
 * for more often. Tables with rows are targeted in equal shares.
 * @example
 * const sampler = createSqlConditionSampler(schema, { seed: 1, hardnessMix: { easy: 0.5, hard: 0.5 } });
 * const condition = sampler.next();
 * sampler.observe(sqlFeatures(programFor(condition)));
 */
export function createSqlConditionSampler(
  schema: SqlSchema,
  options: SqlConditionSamplerOptions,
): SqlConditionSampler {
  const random = createRandom(options.seed);
  const mix = normaliseMix(options.hardnessMix);
  const clauseTargets = { ...DEFAULT_CLAUSE_TARGETS, ...options.clauseTargets };
  const withRows = schema.tables.filter((table) => table.rowCount > 0).map((table) => table.name);
  const tables = withRows.length > 0 ? withRows : schema.tables.map((table) => table.name);
  const lowerToName = new Map(tables.map((name) => [name.toLowerCase(), name]));
  const neighbours = neighbourMap(schema, options.joins);
  // a table target counts only where it names tables of this schema
  const givenTables = new Map(
    Object.entries(options.tableTargets ?? {})
      .map(([name, share]) => [name.toLowerCase(), share] as const)
      .filter(([name, share]) => lowerToName.has(name) && share > 0),
  );
  const tableTargets = givenTables.size > 0 ? givenTables : undefined;
  const counts = {
    hardness: new Map<string, number>(),
    tables: new Map<string, number>(),
    clauses: new Map<string, number>(),
  };
  let observed = 0;
  const share = (map: Map<string, number>, key: string) => (observed ? (map.get(key) ?? 0) / observed : 0);

  const pickHardness = (): Hardness => {
    // Deficit of each level against its target after one more program; a floor keeps every
    // level with a target reachable even when it is ahead.
    const weights = HARDNESS_LEVELS.map((level) => {
      const target = mix[level];
      if (target <= 0) return 0;
      const deficit = target * (observed + 1) - (counts.hardness.get(level) ?? 0);
      return Math.max(deficit, 0) + 0.02 * target;
    });
    return HARDNESS_LEVELS[random.weighted(weights)]!;
  };

  const pickTable = (): string | undefined => {
    if (tables.length === 0) return undefined;
    const fair = (observed + 1) / tables.length;
    const weights = tables.map((name) => {
      const wanted = tableTargets ? (tableTargets.get(name.toLowerCase()) ?? 0) * (observed + 1) : fair;
      return (
        Math.max(wanted - (counts.tables.get(name.toLowerCase()) ?? 0), 0) + (tableTargets ? 0.01 : 0.05)
      );
    });
    return tables[random.weighted(weights)];
  };

  const pickClauses = (hardness: Hardness): string[] => {
    const scored: { clause: ConditionClause; deficit: number }[] = [];
    for (const clause of CLAUSES_BY_HARDNESS[hardness]) {
      const target = clauseTargets[clause] ?? 0;
      if (target <= 0) continue;
      const deficit = target - share(counts.clauses, clause);
      const p = Math.min(0.95, Math.max(0.02, target + CLAUSE_GAIN * deficit));
      if (random.chance(p)) scored.push({ clause, deficit });
    }
    scored.sort((a, b) => b.deficit - a.deficit);
    const chosen = scored.slice(0, MAX_CLAUSES[hardness]).map((entry) => entry.clause);
    // One set operation at most: a program has one.
    const isSetOperation = (clause: string) =>
      clause === 'union' || clause === 'intersect' || clause === 'except';
    const firstSetOperation = chosen.find(isSetOperation);
    return chosen.filter((clause) => !isSetOperation(clause) || clause === firstSetOperation);
  };

  return {
    get observed() {
      return observed;
    },
    next(): SqlCondition {
      const hardness = pickHardness();
      let clauses = pickClauses(hardness);
      const table = pickTable();
      const chosenTables = table === undefined ? [] : [table];
      if (table !== undefined && clauses.includes('join')) {
        const others = neighbours.get(table) ?? [];
        if (others.length > 0) chosenTables.push(random.pick(others));
        else clauses = clauses.filter((clause) => clause !== 'join');
      }
      return { hardness, tables: chosenTables, clauses };
    },
    observe(features: SqlFeatures): void {
      observed++;
      increment(counts.hardness, features.hardness);
      for (const name of new Set(features.tables.map((table) => table.toLowerCase())))
        if (lowerToName.has(name)) increment(counts.tables, name);
      for (const clause of new Set(features.clauses)) increment(counts.clauses, clause);
    },
    coverage(): ConditionCoverage {
      const shares = (map: Map<string, number>, keys: readonly string[]) => {
        const out: Record<string, number> = {};
        for (const key of keys) out[key] = share(map, key);
        for (const key of map.keys()) out[key] ??= share(map, key);
        return out;
      };
      return {
        hardness: shares(counts.hardness, HARDNESS_LEVELS),
        tables: Object.fromEntries(tables.map((name) => [name, share(counts.tables, name.toLowerCase())])),
        clauses: shares(counts.clauses, Object.keys(clauseTargets)),
      };
    },
  };
}

/** Normalise a hardness mix to shares that sum to 1; throws a one-line error when nothing is left. */
export function normaliseMix(mix: Partial<Record<Hardness, number>> | undefined): Record<Hardness, number> {
  const given = mix ?? DEFAULT_HARDNESS_MIX;
  const raw = HARDNESS_LEVELS.map((level) => {
    const value = given[level] ?? 0;
    if (!Number.isFinite(value) || value < 0)
      throw new InputError(`hardness mix: ${level} must be a number from 0 up, got ${value}`);
    return value;
  });
  const total = raw.reduce((sum, value) => sum + value, 0);
  if (!(total > 0))
    throw new InputError('hardness mix: give at least one level a share above 0 (e.g. easy=0.5,hard=0.5)');
  return Object.fromEntries(HARDNESS_LEVELS.map((level, index) => [level, raw[index]! / total])) as Record<
    Hardness,
    number
  >;
}

/**
 * Parse `easy=0.25,medium=0.4,hard=0.2,extra=0.15` (the `--mix` flag). Shares need not sum to 1.
 * Throws a one-line `InputError` naming the bad part.
 */
export function parseHardnessMix(text: string): Record<Hardness, number> {
  const mix: Partial<Record<Hardness, number>> = {};
  for (const part of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const match = /^(easy|medium|hard|extra)\s*=\s*([0-9]*\.?[0-9]+)$/.exec(part);
    if (!match)
      throw new InputError(
        `--mix: cannot read ${JSON.stringify(part)}; write level=share pairs such as easy=0.25,medium=0.4,hard=0.2,extra=0.15`,
      );
    mix[match[1] as Hardness] = Number(match[2]);
  }
  return normaliseMix(mix);
}

function neighbourMap(
  schema: SqlSchema,
  joins: readonly { from: string; to: string }[] | undefined,
): Map<string, string[]> {
  const pairs =
    joins ??
    schema.tables.flatMap((table) =>
      table.foreignKeys.map((key) => ({ from: table.name, to: key.refTable })),
    );
  const known = new Map(schema.tables.map((table) => [table.name.toLowerCase(), table]));
  const map = new Map<string, string[]>();
  const add = (from: string, to: string) => {
    const a = known.get(from.toLowerCase());
    const b = known.get(to.toLowerCase());
    if (!a || !b || a === b || a.rowCount === 0 || b.rowCount === 0) return;
    const list = map.get(a.name) ?? [];
    if (!list.includes(b.name)) list.push(b.name);
    map.set(a.name, list);
  };
  for (const { from, to } of pairs) {
    add(from, to);
    add(to, from);
  }
  return map;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

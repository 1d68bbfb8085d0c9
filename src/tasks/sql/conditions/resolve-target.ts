import { ConfigError } from '../../../errors/index.js';
import { readJsonl } from '../../../io/index.js';
import { sqlFeatures } from '../features.js';
import { type MixTarget, measureMix } from '../mix.js';
import { CONDITION_CLAUSES, DEFAULT_CLAUSE_TARGETS, DEFAULT_HARDNESS_MIX } from './condition.js';

/** The settings of a run's target mix (`generation.conditions` of the config). */
export interface MixTargetSettings {
  readonly target?: 'demonstrations' | 'reference' | 'spider';
  readonly reference?: string | undefined;
  readonly hardnessMix?: MixTarget['hardness'] | undefined;
  readonly clauseTargets?: Readonly<Record<string, number>> | undefined;
  readonly tableTargets?: Readonly<Record<string, number>> | undefined;
}

/** The target mix of a run and where it came from. */
export interface ResolvedTarget {
  /** `demonstrations`, `reference` (with its path), `spider` (the built-in mix), or `config` (all parts set by hand). */
  readonly source: string;
  readonly target: MixTarget;
}

/** Programs of a JSONL file: each line's `query`, `program` or `sql` string field. */
async function readPrograms(file: string): Promise<string[]> {
  const programs: string[] = [];
  for await (const line of readJsonl(file)) {
    if (line.error !== undefined) continue;
    const value = line.value as Record<string, unknown> | null;
    const program = value?.query ?? value?.program ?? value?.sql;
    if (typeof program === 'string' && program.trim()) programs.push(program);
  }
  if (programs.length === 0)
    throw new ConfigError(file, [
      {
        path: 'generation.conditions.reference',
        message: 'no program in the reference (each line needs a string field "query", "program" or "sql")',
      },
    ]);
  return programs;
}

/**
 * The mix the conditions aim at: measured on the demonstrations (the default when there are some),
 * on `generation.conditions.reference`, or Spider dev's built-in mix; then every part the config sets
 * (`hardnessMix`, `clauseTargets`, `tableTargets`) replaces the measured one. A measured clause mix
 * names every condition clause (0 for those the programs never use), so the sampler does not fall
 * back to Spider's share for them. The SQL parser must be loaded.
 */
export async function resolveMixTarget(
  conditions: MixTargetSettings,
  demonstrations: readonly { program: string; dbId?: string }[] | undefined,
): Promise<ResolvedTarget & { forDatabase(dbId: string): ResolvedTarget }> {
  let source: string;
  let measured: MixTarget;
  if (conditions.reference !== undefined || conditions.target === 'reference') {
    if (conditions.reference === undefined)
      throw new ConfigError('symgen generate', [
        {
          path: 'generation.conditions.reference',
          message: 'target: reference needs a reference file (--reference FILE)',
        },
      ]);
    const programs = await readPrograms(conditions.reference);
    measured = measureMix(programs.map((program) => sqlFeatures(program)));
    source = `reference ${conditions.reference}`;
  } else if (conditions.target === 'demonstrations' && demonstrations && demonstrations.length > 0) {
    measured = measureMix(demonstrations.map((demo) => sqlFeatures(demo.program)));
    source = 'demonstrations';
  } else {
    measured = { hardness: DEFAULT_HARDNESS_MIX, clauses: DEFAULT_CLAUSE_TARGETS, tables: {}, programs: 0 };
    source = 'spider';
  }
  if (measured.programs > 0)
    measured = {
      ...measured,
      clauses: Object.fromEntries(CONDITION_CLAUSES.map((clause) => [clause, measured.clauses[clause] ?? 0])),
    };
  const set = [conditions.hardnessMix, conditions.clauseTargets, conditions.tableTargets].filter(
    (part) => part !== undefined,
  ).length;
  const resolved = (from: string, mix: MixTarget): ResolvedTarget => ({
    source: set === 3 ? 'config' : set > 0 ? `${from} (parts set in the config)` : from,
    target: {
      hardness: conditions.hardnessMix ?? mix.hardness,
      clauses: conditions.clauseTargets ?? mix.clauses,
      tables: conditions.tableTargets ?? mix.tables,
      programs: mix.programs,
    },
  });
  const overall = resolved(source, measured);
  const byDatabase = new Map<string, ResolvedTarget>();
  return {
    ...overall,
    /** The demonstrations of one database, when there are at least 3 of them; else the overall target. */
    forDatabase(dbId) {
      if (source !== 'demonstrations' || !demonstrations) return overall;
      let found = byDatabase.get(dbId);
      if (!found) {
        const own = demonstrations.filter((demo) => demo.dbId === dbId);
        found = overall;
        if (own.length >= 3) {
          const mix = measureMix(own.map((demo) => sqlFeatures(demo.program)));
          found = resolved(`demonstrations of ${dbId}`, {
            ...mix,
            clauses: Object.fromEntries(
              CONDITION_CLAUSES.map((clause) => [clause, mix.clauses[clause] ?? 0]),
            ),
          });
        }
        byDatabase.set(dbId, found);
      }
      return found;
    },
  };
}

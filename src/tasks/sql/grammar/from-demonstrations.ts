import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRandom } from '../../../random.js';
import type { DemonstrationPair, ExpandedExample, ExpandRequest } from '../../spec.js';
import { checkTypeTraps } from '../checks/type-trap.js';
import { type SqlFeatures, sqlFeatures } from '../features.js';
import type { MixTarget } from '../mix.js';
import { createPlanGuard } from '../programs-first/plan-guard.js';
import { runProgram } from '../programs-first/run-program.js';
import { openReadOnly, readSqliteSchema } from '../schema.js';
import { builtinRules } from './builtin/index.js';
import { createDomain, expandGrammar, type FillRejection } from './fill.js';
import { induceGrammar, type SqlGrammar } from './induce.js';

/** Options of {@link generateFromDemonstrations}. */
export interface GrammarGenerateOptions {
  readonly dbPath: string;
  readonly dbId: string;
  readonly demonstrations: readonly DemonstrationPair[];
  readonly count: number;
  readonly seed: number;
  /** Programs returning more rows are dropped. @default 10000 */
  readonly maxRows?: number;
  readonly signal?: AbortSignal;
  readonly onReject?: (reason: FillRejection) => void;
  /**
   * The mix to follow (the demonstrations' by default in the pipeline): each draw favours the rules
   * whose clauses and hardness the pairs made so far have too few of, so rules set aside early do not
   * leave the surviving ones to set the mix. Rules are drawn uniformly without it.
   */
  readonly target?: MixTarget;
  /**
   * The share of pairs from the built-in rules (`builtin/`: common question shapes instantiated on
   * the schema), beyond what the demonstrations show; 0 keeps to the demonstrations. @default 0
   */
  readonly beyond?: number;
  /** Called once with the induced grammar (rules and skipped demonstrations). */
  readonly onGrammar?: (grammar: SqlGrammar) => void;
}

/** One pair made from the demonstrations' grammar. */
export interface GrammarExample {
  id: string;
  db_id: string;
  question: string;
  program: string;
  features: SqlFeatures;
  result: { rows: number; preview: unknown[][] };
  provenance: {
    method: 'grammar';
    /** The demonstrations' rules, or the built-in question shapes (`builtin/`). */
    origin: 'demonstrations' | 'builtin';
    seed: number;
    dbSha256: string;
    /** The demonstration whose rule made the pair, and what filled its slots. */
    rule: string;
    fills: readonly string[];
  };
}

/**
 * Offline generation from demonstrations: a synchronous grammar induced from the pairs that apply to
 * this database (their programs name its tables and columns), expanded with other values, columns
 * and tables of it; every program runs in-process on a read-only connection (the plan guard drops
 * runaway joins on big tables) and is kept when its result is not degenerate and it has no type trap.
 * Seeded: the same demonstrations, database and seed give the same sequence.
 */
export async function* generateFromDemonstrations(
  options: GrammarGenerateOptions,
): AsyncGenerator<GrammarExample> {
  const db = openReadOnly(options.dbPath);
  try {
    const schema = readSqliteSchema(db);
    const grammar = induceGrammar(options.demonstrations, schema);
    options.onGrammar?.(grammar);
    const beyond = Math.min(1, Math.max(0, options.beyond ?? 0));
    // one view of the database (its values and counts, cached) for the built-in rules and both pools
    const domain = createDomain(db, schema);
    const builtin = beyond > 0 ? builtinRules(db, schema, domain) : [];
    if (grammar.rules.length === 0 && builtin.length === 0) return;
    const sha256 = createHash('sha256').update(readFileSync(options.dbPath)).digest('hex');
    const guard = createPlanGuard(db, schema.tables);
    const maxRows = options.maxRows ?? 10_000;
    // one seeded stream per pool, so how one pool draws does not move the other
    const ownRandom = createRandom(options.seed);
    const builtinRandom = createRandom(
      createHash('sha256').update(`${options.seed}\u0000builtin`).digest().readUInt32LE(0),
    );
    const seenQuestions = new Set<string>();
    const seenPrograms = new Map<string, number>();
    const common = {
      db,
      schema,
      domain,
      seenQuestions,
      seenPrograms,
      run: (sql: string) => {
        if (guard?.(sql)) return { status: 'too-slow' as const, rows: 0, preview: [] };
        const ran = runProgram(db, sql, maxRows);
        return { status: ran.status, rows: ran.rows, preview: ran.preview };
      },
      check: (program: string) => checkTypeTraps(program, { path: options.dbPath }),
      ...(options.onReject ? { onReject: (reason: FillRejection) => options.onReject!(reason) } : {}),
    };
    // one follower over both pools' rules (the built-ins after the demonstrations'): each pool's
    // draws see the mix of all the pairs made so far, and the built-in shapes the target lacks most
    // are drawn first (on the Spider test databases the mean hardness divergence from the
    // demonstrations' mix is 0.242 this way, 0.345 with the built-ins drawn by template weight alone)
    const follow = options.target
      ? mixFollower([...grammar.rules, ...builtin.map((entry) => entry.rule)], options.target)
      : undefined;
    const offset = grammar.rules.length;
    // the demonstrations' rules first: their sources join the questions and programs not to repeat
    // before a built-in rule draws
    const own =
      grammar.rules.length > 0
        ? expandGrammar({
            ...common,
            ...(follow ? { ruleWeight: follow.weight, onKeep: follow.keep, stopBelow: STOP_BELOW } : {}),
            rules: grammar.rules,
            random: () => ownRandom.next(),
          })
        : undefined;
    const beyondPool =
      builtin.length > 0
        ? expandGrammar({
            ...common,
            rules: builtin.map((entry) => entry.rule),
            ruleWeight: (index) => builtin[index]!.weight * (follow ? follow.weight(offset + index) : 1),
            ...(follow ? { onKeep: (index: number) => follow.keep(offset + index) } : {}),
            random: () => builtinRandom.next(),
          })
        : undefined;
    let made = 0;
    let madeBeyond = 0;
    let drawn = 0;
    let ownDone = own === undefined;
    let beyondDone = beyondPool === undefined;
    while (!ownDone || !beyondDone) {
      // a built-in rule draws while the built-in share of the pairs so far is under `beyond`; the
      // share holds when the demonstrations' rules run out (programs-first then fills the rest),
      // unless there are no demonstrations' rules at all
      const wantBeyond =
        !beyondDone && (ownDone ? grammar.rules.length === 0 : madeBeyond < beyond * (made + 1));
      if (ownDone && !wantBeyond) break;
      const pool = wantBeyond ? beyondPool! : own!;
      const next = pool.next();
      if (next.done) {
        if (wantBeyond) beyondDone = true;
        else ownDone = true;
        continue;
      }
      const example = next.value;
      if (++drawn % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      if (wantBeyond) madeBeyond++;
      yield {
        id: `${options.dbId}-g${made}`,
        db_id: options.dbId,
        question: example.question,
        program: example.program,
        features: sqlFeatures(example.program),
        result: example.result,
        provenance: {
          method: 'grammar',
          origin: wantBeyond ? 'builtin' : 'demonstrations',
          seed: options.seed,
          dbSha256: sha256,
          rule: example.rule,
          fills: example.fills,
        },
      };
      if (++made >= options.count) return;
    }
  } finally {
    db.close();
  }
}

/**
 * The SQL task's `expand` (offline generation from demonstrations): the grammar of the demonstrations
 * expanded over the source's database, as the contract's examples.
 */
export async function* expandSqlDemonstrations(request: ExpandRequest): AsyncGenerator<ExpandedExample> {
  if (!request.source.path) return;
  for await (const example of generateFromDemonstrations({
    dbPath: request.source.path,
    dbId: request.source.id,
    demonstrations: request.demonstrations,
    count: request.count,
    seed: request.seed,
    ...(request.target ? { target: request.target as unknown as MixTarget } : {}),
    ...(request.beyond !== undefined ? { beyond: request.beyond } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  })) {
    yield {
      id: example.id,
      question: example.question,
      program: example.program,
      features: { ...example.features },
      result: example.result,
      provenance: example.provenance,
    };
  }
}

/**
 * Weights for drawing rules so the pairs made follow `target`: a rule's weight is the product, over
 * the hardness levels and the clauses, of how short the pairs so far fall of the target share on the
 * side the rule is on (a rule with GROUP BY weighs more while GROUP BY is under its share, less when
 * over), clipped to [0.05, 20]. The shares made so far start at the target (a few pseudo-pairs), so
 * the first draws are near uniform. When every rule left weighs under {@link STOP_BELOW} (the rules
 * that had what is missing ran out of new fills, and each one left would take the mix further off),
 * the grammar stops and the rest is left to programs-first, aimed at what is missing.
 */
const STOP_BELOW = 0.5;

function mixFollower(rules: readonly { source: { program: string } }[], target: MixTarget) {
  const PRIOR = 5;
  const features = rules.map((rule) => sqlFeatures(rule.source.program));
  const clauses = Object.keys(target.clauses);
  const levels = Object.keys(target.hardness) as (keyof MixTarget['hardness'])[];
  const counts = new Map<string, number>();
  let made = 0;
  const share = (key: string, wanted: number) => ((counts.get(key) ?? 0) + wanted * PRIOR) / (made + PRIOR);
  const cache = new Map<number, number>();
  return {
    weight(index: number): number {
      const known = cache.get(index);
      if (known !== undefined) return known;
      const own = features[index]!;
      let weight = 1;
      if (own.hardness !== 'unknown') {
        for (const level of levels) {
          const wanted = target.hardness[level] ?? 0;
          const have = share(`h:${level}`, wanted);
          weight *=
            own.hardness === level
              ? (wanted + 0.02) / (have + 0.02)
              : (1 - wanted + 0.02) / (1 - have + 0.02);
        }
        for (const clause of clauses) {
          const wanted = target.clauses[clause] ?? 0;
          const have = share(`c:${clause}`, wanted);
          weight *= own.clauses.includes(clause)
            ? (wanted + 0.02) / (have + 0.02)
            : (1 - wanted + 0.02) / (1 - have + 0.02);
        }
        weight = Math.min(20, Math.max(0.05, weight));
      }
      cache.set(index, weight);
      return weight;
    },
    keep(index: number): void {
      const own = features[index]!;
      cache.clear();
      if (own.hardness === 'unknown') return;
      made++;
      counts.set(`h:${own.hardness}`, (counts.get(`h:${own.hardness}`) ?? 0) + 1);
      for (const clause of new Set(own.clauses))
        counts.set(`c:${clause}`, (counts.get(`c:${clause}`) ?? 0) + 1);
    },
  };
}

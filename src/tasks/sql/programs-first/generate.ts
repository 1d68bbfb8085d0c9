import type Database from 'better-sqlite3';
import { DatabaseError } from '../../../errors/index.js';
import { createRandom, type Random } from '../../../random.js';
import type { SqlCondition } from '../conditions/condition.js';
import { createSqlConditionSampler } from '../conditions/condition-sampler.js';
import { type DatabaseEnvironment, DatabaseSet } from '../databases.js';
import { type SqlFeatures, sqlFeatures } from '../features.js';
import type { Hardness } from '../hardness.js';
import { loadSqlParser } from '../parse.js';
import { openReadOnly, readSqliteSchema, type SqlSchema } from '../schema.js';
import { buildProgram } from './build-program.js';
import { createPlanGuard } from './plan-guard.js';
import { type DatabaseProfile, profileDatabase } from './profile.js';
import { renderSql } from './program.js';
import { realiseQuestion } from './realise.js';
import { degenerateReason, runProgram } from './run-program.js';

/** Options of {@link generateProgramsFirst}. */
export interface ProgramsFirstOptions {
  /** A SQLite file. */
  dbPath: string;
  /** The database id written on every example. */
  dbId: string;
  /** How many examples to produce (fewer when the database cannot give that many distinct programs). */
  count: number;
  /** @default 0 */
  seed?: number;
  /** Target share of each Spider hardness level. @default Spider dev's mix (25/40/20/15) */
  hardnessMix?: Partial<Record<Hardness, number>>;
  /** Target share of programs using each clause. @default the sampler's defaults */
  clauseTargets?: Readonly<Record<string, number>>;
  /** Target share of programs reading each table. @default equal shares */
  tableTargets?: Readonly<Record<string, number>>;
  /**
   * Optional: rewrites each canonical question (a model paraphrase kept only when it passes a cycle
   * check; `symgen sample --paraphrase` opens one per database). A null question drops the pair.
   */
  paraphrase?: (environment: DatabaseEnvironment, schema: SqlSchema) => Promise<QuestionRewriter>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Keep empty results and filters that keep every row. @default false */
  allowDegenerate?: boolean;
  /** Programs returning more rows are dropped. @default 10000 */
  maxRows?: number;
  /** Called for every drawn program that was not kept, with why (for statistics). */
  onReject?: (reason: ProgramRejection, sql: string | null) => void;
}

/** Rewrites a sampled program's question (e.g. a model paraphrase checked by parsing it back). */
export interface QuestionRewriter {
  paraphrase(
    question: string,
    sql: string,
    signal?: AbortSignal,
  ): Promise<{ question: string | null; record: unknown }>;
  close(): Promise<void>;
}

/** Why a drawn program was not kept. */
export type ProgramRejection =
  | 'no-program'
  | 'duplicate'
  | 'hardness-mismatch'
  | 'error'
  | 'too-large'
  | 'too-slow'
  | 'empty'
  | 'vacuous-where'
  | 'vacuous-having'
  | 'vacuous-except'
  | 'vacuous-set'
  | 'cycle-check';

/** One generated pair. */
export interface ProgramsFirstExample {
  id: string;
  db_id: string;
  /** The paraphrase when an LLM was used, else the canonical question. */
  question: string;
  canonicalQuestion: string;
  /** Executes on the database; a non-empty result unless degenerate programs were asked for. */
  program: string;
  condition: SqlCondition;
  features: SqlFeatures;
  result: { rows: number; preview: unknown[][] };
  provenance: { method: 'programs-first'; seed: number; dbSha256: string; paraphrase?: unknown };
}

/** Draws for one condition before taking a program of another hardness. */
const TRIES_PER_CONDITION = 40;
/** Conditions in a row that gave no new program before the database counts as exhausted. */
const MAX_BARREN_CONDITIONS = 25;

/**
 * Programs-first generation (sample-wise decomposition; GAZP, Overnight): draw SQL programs from a
 * database's schema and contents under conditions that adapt toward a target mix of hardness,
 * tables and clauses; keep those that execute to a non-degenerate result; write each one's
 * canonical English question. Reproducible: the same database, seed and options give the same
 * examples. Throws a one-line `DatabaseError` when the database has no tables or no rows.
 * @example
 * for await (const example of generateProgramsFirst({ dbPath: 'geography.sqlite', dbId: 'geo', count: 50 }))
 *   console.log(example.question, example.program);
 */
export async function* generateProgramsFirst(
  options: ProgramsFirstOptions,
): AsyncGenerator<ProgramsFirstExample> {
  await loadSqlParser();
  const environment = DatabaseSet.open(options.dbPath).resolve(options.dbId);
  const seed = options.seed ?? 0;
  const db = openReadOnly(environment.path);
  try {
    const schema = readSqliteSchema(db);
    checkUsable(schema, options.dbPath);
    const random = createRandom(seed);
    const profile = profileDatabase(db, schema, random);
    const sampler = createSqlConditionSampler(schema, {
      seed,
      ...(options.hardnessMix ? { hardnessMix: options.hardnessMix } : {}),
      ...(options.clauseTargets ? { clauseTargets: options.clauseTargets } : {}),
      ...(options.tableTargets ? { tableTargets: options.tableTargets } : {}),
      joins: profile.joins.map((edge) => ({ from: edge.from, to: edge.to })),
    });
    const paraphraser = options.paraphrase ? await options.paraphrase(environment, schema) : undefined;
    const guard = createPlanGuard(db, profile.tables);
    const seen = new Set<string>();
    let produced = 0;
    let conditions = 0;
    let barren = 0;
    const maxConditions = options.count * 20 + 200;
    try {
      while (produced < options.count && conditions < maxConditions) {
        options.signal?.throwIfAborted();
        conditions++;
        const condition = sampler.next();
        const drawn = drawProgram(db, profile, condition, random, seen, options, guard);
        if (!drawn) {
          // A small database runs out of distinct programs: stop instead of drawing forever.
          if (++barren >= MAX_BARREN_CONDITIONS) break;
          continue;
        }
        barren = 0;
        sampler.observe(drawn.features);
        let question = drawn.question;
        let paraphrase: unknown;
        if (paraphraser) {
          const checked = await paraphraser.paraphrase(drawn.question, drawn.sql, options.signal);
          paraphrase = checked.record;
          if (!checked.question) {
            options.onReject?.('cycle-check', drawn.sql);
            continue;
          }
          question = checked.question;
        }
        yield {
          id: `${options.dbId}-${produced}`,
          db_id: options.dbId,
          question,
          canonicalQuestion: drawn.question,
          program: drawn.sql,
          condition,
          features: drawn.features,
          result: { rows: drawn.rows, preview: drawn.preview },
          provenance: {
            method: 'programs-first',
            seed,
            dbSha256: environment.sha256,
            ...(paraphrase === undefined ? {} : { paraphrase }),
          },
        };
        produced++;
        options.onProgress?.(produced, options.count);
      }
    } finally {
      await paraphraser?.close();
    }
  } finally {
    db.close();
  }
}

interface DrawnProgram {
  sql: string;
  question: string;
  features: SqlFeatures;
  rows: number;
  preview: unknown[][];
}

/**
 * Draw programs for one condition until one executes to a kept result with the asked hardness; if
 * none has it, the first kept program of another hardness (the sampler then asks for the missing
 * level more often).
 */
function drawProgram(
  db: Database.Database,
  profile: DatabaseProfile,
  condition: SqlCondition,
  random: Random,
  seen: Set<string>,
  options: ProgramsFirstOptions,
  guard: ((sql: string) => boolean) | null,
): DrawnProgram | null {
  let fallback: DrawnProgram | null = null;
  const reject = options.onReject ?? (() => undefined);
  for (let attempt = 0; attempt < TRIES_PER_CONDITION; attempt++) {
    const program = buildProgram(profile, condition, random);
    if (!program) {
      reject('no-program', null);
      continue;
    }
    const sql = renderSql(program);
    if (seen.has(sql)) {
      reject('duplicate', sql);
      continue;
    }
    const features = sqlFeatures(sql);
    const matches = features.hardness === condition.hardness;
    if (!matches && fallback) {
      reject('hardness-mismatch', sql);
      continue;
    }
    if (guard?.(sql)) {
      reject('too-slow', sql);
      continue;
    }
    const run = runProgram(db, sql, options.maxRows ?? 10_000);
    if (run.status !== 'ok') {
      reject(run.status, sql);
      continue;
    }
    if (!options.allowDegenerate) {
      const degenerate = degenerateReason(db, program, run.rows);
      if (degenerate) {
        reject(degenerate, sql);
        continue;
      }
    }
    const drawn = { sql, question: realiseQuestion(program), features, rows: run.rows, preview: run.preview };
    if (matches) {
      seen.add(sql);
      return drawn;
    }
    fallback = drawn;
  }
  if (fallback) seen.add(fallback.sql);
  return fallback;
}

function checkUsable(schema: SqlSchema, path: string): void {
  if (schema.tables.length === 0)
    throw new DatabaseError(
      `database ${path} has no tables: programs-first generation samples from tables with rows`,
      path,
    );
  if (!schema.tables.some((table) => table.rowCount > 0 && table.columns.length > 0))
    throw new DatabaseError(
      `database ${path} has tables but no rows: programs-first generation reads real values, so fill at least one table`,
      path,
    );
}

import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { GenerateConfig } from '../../config/index.js';
import { createQueuedLlmProvider } from '../../distributed/llm-jobs.js';
import { ConfigError, InputError } from '../../errors/index.js';
import { removeStaleTemporaries } from '../../io/output-path.js';
import { openSqliteResponseCache } from '../../llm/cache/index.js';
import { createLlm, type Llm } from '../../llm/create-llm.js';
import type { LlmProvider } from '../../llm/spec.js';
import { defaultGenATemplate, defaultGenQTemplate } from '../../prompt/default-templates.js';
import {
  createDemonstrationSelector,
  type DemonstrationSelector,
  loadDemonstrations,
} from '../../prompt/demonstrations/index.js';
import { compilePromptTemplate } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import { SqlKnowledge } from '../../prompt/sql-knowledge.js';
import { exportRun } from '../../store/export/index.js';
import { computeRunStats, type RunStats } from '../../store/run-stats.js';
import { RunStore } from '../../store/run-store.js';
import { writeRunOutputs } from '../../store/write-outputs.js';
import { type DatabaseEnvironment, DatabaseSet } from '../../tasks/sql/databases.js';
import { SqliteExecutor } from '../../tasks/sql/execute/index.js';
import type { SqlFeatures } from '../../tasks/sql/features.js';
import { loadSqlParser, sqlTask, sqlVerifierProvenance } from '../../tasks/sql/index.js';
import { measureMix, mixDivergence } from '../../tasks/sql/mix.js';
import { createSqlConditionSampler, type SqlConditionSampler } from '../conditions/index.js';
import { type ResolvedTarget, resolveMixTarget } from '../conditions/resolve-target.js';
import { runLlmPipeline } from './llm-run.js';
import { runOfflinePipeline } from './offline-run.js';
import { createProgressTracker, type GenerateProgress } from './progress.js';
import { questionKey } from './question-text.js';
import { computeQuotas } from './quotas.js';
import { checkResumeConfig } from './resume-check.js';

/** Options of {@link runGenerate}. */
export interface GenerateOptions {
  readonly config: GenerateConfig;
  /** Continue the run in `config.output.dir`; without it, a directory holding a run is an error. */
  readonly resume?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (progress: GenerateProgress) => void;
  /** One-line notices (mode, retries, circuit breaker). */
  readonly onMessage?: (message: string) => void;
  readonly signal?: AbortSignal;
  /**
   * `redis://HOST:PORT`: send the model calls to `symgen worker` processes through this queue. This
   * process stays the single writer of run.sqlite and the response cache.
   */
  readonly queue?: string;
}

/** What a finished (or interrupted) session produced. */
export interface GenerateSummary {
  readonly dir: string;
  readonly stats: RunStats;
  readonly files: { dataset: string; rejected: string; stats: string; store: string; exports: string[] };
}

/**
 * Runs `symgen generate`: SymGen's two-stage generation (questions, then candidate programs,
 * verified by execution and agreement) when an LLM is configured, else the offline programs-first
 * generator. Every state change goes to `run.sqlite` first; `dataset.jsonl`, `rejected.jsonl` and
 * `stats.json` are rebuilt from it (atomically) at the start, after each round (each database
 * offline) and at the end, so a killed run has its decided examples in them and `symgen export`
 * works on it. A new run that fails before anything is done leaves no run folder behind.
 */
export async function runGenerate(options: GenerateOptions): Promise<GenerateSummary> {
  const { config } = options;
  const dir = config.output.dir;
  const exists = RunStore.exists(dir);
  if (exists && !options.resume) {
    throw new ConfigError('--out', [
      {
        path: 'output.dir',
        message: `${dir} already holds a run; pass --resume to continue it, or choose another --out`,
      },
    ]);
  }
  if (!exists) refuseForeignFolder(dir);
  const databaseSet = DatabaseSet.open(config.knowledge.db);
  const ids = config.knowledge.databases ?? databaseSet.ids();
  const databases = new Map<string, DatabaseEnvironment>(ids.map((id) => [id, databaseSet.resolve(id)]));
  refuseEmptyDatabases(databases);
  const quotas = computeQuotas(ids, config.count, config.knowledge.quotas);
  const mode: GenerateProgress['mode'] = config.llm ? 'llm' : 'programs-first';
  const folderExisted = existsSync(dir);
  let store: RunStore;
  try {
    store = RunStore.open(dir, { create: true });
  } catch (error) {
    if (!exists) removeRun(dir, !folderExisted);
    throw error;
  }
  // a process killed while writing the outputs left its temporary files: they are no one's now
  removeStaleTemporaries(dir);
  let started = false;
  const sessionStarted = performance.now();
  let llm: Llm | undefined;
  const cleanups: (() => unknown)[] = [() => store.close()];
  try {
    const stored = store.getMeta('config');
    if (stored) checkResumeConfig(JSON.parse(stored), config);
    else store.setMeta('config', JSON.stringify(config));
    const session = store.startSession(exists);
    if (mode === 'llm') {
      const cache = openSqliteResponseCache({ database: store.database });
      let provider: LlmProvider | undefined;
      if (options.queue) {
        const queued = await createQueuedLlmProvider(options.queue, config.llm!, options.env);
        cleanups.push(queued.close);
        provider = queued.provider;
      }
      llm = createLlm(config.llm, {
        cache,
        ...(provider ? { provider } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.onMessage ? { onMessage: options.onMessage } : {}),
      });
    }
    const usage = () => {
      const totals = llm?.usage.totals();
      return {
        // HTTP requests, what a rate limit counts (top-ups and failed attempts included)
        requests: totals?.requests ?? 0,
        promptTokens: totals?.usage.promptTokens ?? 0,
        completionTokens: totals?.usage.completionTokens ?? 0,
        costUsd: totals?.costUsd ?? 0,
      };
    };
    const progress = createProgressTracker(mode, usage, options.onProgress);
    const samplers = new Map<string, SqlConditionSampler | undefined>();
    let target: Awaited<ReturnType<typeof resolveMixTarget>> | undefined;
    const writeOutputs = async (complete: boolean) => {
      const coverage = Object.fromEntries(
        [...samplers].flatMap(([dbId, sampler]) => (sampler ? [[dbId, sampler.coverage()]] : [])),
      );
      const stats = computeRunStats(store, {
        mode,
        task: config.task,
        model: llm ? { provider: llm.model.provider, modelId: llm.model.modelId } : null,
        seed: config.seed,
        count: config.count,
        quotas,
        complete,
        ...(Object.keys(coverage).length > 0 ? { coverage } : {}),
        ...(target ? { mix: mixReport(target, acceptedFeaturesByDatabase(store)) } : {}),
        currentSessionMs: performance.now() - sessionStarted,
      });
      await writeRunOutputs(store, stats);
      return stats;
    };
    await writeOutputs(false);
    started = true;
    let result: { complete: boolean };
    try {
      result = await runPipeline();
    } catch (error) {
      if (!exists && nothingDone(store)) {
        // nothing to resume: leave no run behind to block the retry
        started = false;
        store.close();
        removeRun(dir, !folderExisted);
      } else {
        // what was decided before the failure is written out; --resume continues from run.sqlite
        await writeOutputs(false).catch(() => undefined);
      }
      throw error;
    }
    store.endSession(session);
    const stats = await writeOutputs(result.complete);
    const exports: string[] = [];
    for (const format of config.output.formats) {
      const out = join(dir, format === 'parquet' ? 'dataset.parquet' : 'dataset.chat.jsonl');
      await exportRun({ source: dir, format, out, db: config.knowledge.db });
      exports.push(out);
    }
    return {
      dir,
      stats,
      files: {
        dataset: join(dir, 'dataset.jsonl'),
        rejected: join(dir, 'rejected.jsonl'),
        stats: join(dir, 'stats.json'),
        store: RunStore.file(dir),
        exports,
      },
    };

    async function runPipeline(): Promise<{ complete: boolean }> {
      await loadSqlParser();
      const pool = config.demonstrations
        ? await loadDemonstrations(config.demonstrations.file, {
            question: config.demonstrations.questionField,
            program: config.demonstrations.programField,
          })
        : undefined;
      if (pool && pool.skipped.length > 0)
        options.onMessage?.(
          `demonstrations: skipped ${pool.skipped.length} unusable lines of ${config.demonstrations!.file} (first: line ${pool.skipped[0]!.line}, ${pool.skipped[0]!.reason})`,
        );
      target = await resolveMixTarget(config, pool?.items);
      if (mode === 'programs-first') {
        const grammar = config.generation.offline.method === 'grammar' && pool !== undefined;
        options.onMessage?.(
          grammar
            ? 'no LLM configured: expanding a grammar induced from the demonstrations (programs-first for what it does not cover)'
            : 'no LLM configured: running the offline programs-first generator',
        );
        return await runOfflinePipeline({
          config,
          store,
          databases,
          quotas,
          progress,
          target: (dbId: string) => target!.forDatabase(dbId).target,
          ...(grammar ? { demonstrations: pool!.items } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          checkpoint: async () => {
            await writeOutputs(false);
          },
        });
      } else {
        const knowledge = new Map<string, SqlKnowledge>();
        cleanups.push(() => {
          for (const opened of knowledge.values()) opened.close();
        });
        const knowledgeOf = (dbId: string) => {
          let opened = knowledge.get(dbId);
          if (!opened) {
            opened = SqlKnowledge.open(databases.get(dbId)!.path, config.knowledge);
            knowledge.set(dbId, opened);
          }
          return opened;
        };
        let selector: DemonstrationSelector | undefined;
        let demonstrationKeys = new Set<string>();
        if (config.demonstrations && pool) {
          selector = await createDemonstrationSelector(pool.items, config.demonstrations);
          demonstrationKeys = new Set(pool.items.map((item) => questionKey(item.question)));
        }
        const executor = new SqliteExecutor({
          compare: config.verify.compare,
          timeoutMs: config.verify.timeoutMs,
          maxRows: config.verify.maxRows,
          normalise: config.verify.normalise,
          ...(config.verify.workers ? { workers: config.verify.workers } : {}),
        });
        cleanups.push(() => executor.close());
        return await runLlmPipeline({
          config,
          store,
          llm: llm!,
          verify: {
            task: sqlTask as never,
            executor,
            environment: (dbId) => databases.get(dbId ?? '') ?? databaseSet.resolve(dbId),
            options: config.verify,
            // The verifier's own record of its settings, as `symgen verify` writes it.
            provenance: sqlVerifierProvenance(config.verify),
          },
          databases,
          quotas,
          knowledge: knowledgeOf,
          selector,
          demonstrationKeys,
          templates: {
            genQ: compilePromptTemplate(config.prompts.genQ ?? defaultGenQTemplate, 'prompts.genQ'),
            genA: compilePromptTemplate(config.prompts.genA ?? defaultGenATemplate, 'prompts.genA'),
          },
          sampler: (dbId) => {
            if (!config.generation.conditions.enabled) return undefined;
            if (!samplers.has(dbId)) {
              samplers.set(
                dbId,
                createSqlConditionSampler(knowledgeOf(dbId).schema, {
                  seed: seedFrom(config.seed, dbId, 'conditions'),
                  hardnessMix: target!.forDatabase(dbId).target.hardness,
                  clauseTargets: target!.forDatabase(dbId).target.clauses,
                  tableTargets: target!.forDatabase(dbId).target.tables,
                }),
              );
            }
            return samplers.get(dbId);
          },
          progress,
          signal: options.signal,
          checkpoint: async () => {
            await writeOutputs(false);
          },
          ...(options.onMessage ? { notify: options.onMessage } : {}),
        });
      }
    }
  } catch (error) {
    if (!started && !exists) {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      removeRun(dir, !folderExisted);
    }
    throw error;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** Features of the accepted examples, by database. */
function acceptedFeaturesByDatabase(store: RunStore): Map<string, SqlFeatures[]> {
  const rows = store.database
    .prepare(
      `SELECT db_id AS dbId, features FROM examples WHERE state = 'accepted' AND features IS NOT NULL ORDER BY seq`,
    )
    .all() as { dbId: string; features: string }[];
  const byDatabase = new Map<string, SqlFeatures[]>();
  for (const row of rows) {
    const list = byDatabase.get(row.dbId) ?? [];
    list.push(JSON.parse(row.features) as SqlFeatures);
    byDatabase.set(row.dbId, list);
  }
  return byDatabase;
}

/**
 * `stats.json`'s `mix`: the target, what the accepted examples have, and the divergence between
 * them, over the run and per database (against that database's own target when its demonstrations
 * give one).
 */
function mixReport(
  target: ResolvedTarget & { forDatabase(dbId: string): ResolvedTarget },
  features: ReadonlyMap<string, readonly SqlFeatures[]>,
) {
  const produced = measureMix([...features.values()].flat());
  return {
    source: target.source,
    target: target.target,
    produced,
    divergence: mixDivergence(target.target, produced),
    byDatabase: Object.fromEntries(
      [...features].map(([dbId, list]) => {
        const own = target.forDatabase(dbId);
        return [dbId, { source: own.source, divergence: mixDivergence(own.target, measureMix(list)) }];
      }),
    ),
  };
}
/** A new run goes into a new or empty folder: one holding other files is refused, not written into. */
function refuseForeignFolder(dir: string): void {
  if (!existsSync(dir)) return;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // not a folder: RunStore.open says so
  }
  if (entries.length > 0) {
    throw new ConfigError('--out', [
      {
        path: '',
        message: `${dir} holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}) and no run; choose a new or empty folder`,
      },
    ]);
  }
}

/** Refuses databases with no tables before a run starts: there is nothing to ask questions about. */
function refuseEmptyDatabases(databases: ReadonlyMap<string, DatabaseEnvironment>): void {
  for (const environment of databases.values()) {
    if (!hasTables(environment.path)) {
      throw new InputError(
        `database ${environment.path} has no tables: nothing to generate from; point --db (or knowledge.db) at a database with tables`,
        { file: environment.path },
      );
    }
  }
}

function hasTables(path: string): boolean {
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (
      database
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1`)
        .get() !== undefined
    );
  } finally {
    database.close();
  }
}

/** True when a run has no example and no answered prompt: a retry loses nothing by starting over. */
function nothingDone(store: RunStore): boolean {
  const states = store.countByState();
  return (
    states.question + states.accepted + states.rejected === 0 && store.prompts({ state: 'done' }).length === 0
  );
}

/** Removes a run's files (and its folder, when this run created it and it is empty now). */
function removeRun(dir: string, removeFolder: boolean): void {
  for (const name of [
    'run.sqlite',
    'run.sqlite-wal',
    'run.sqlite-shm',
    'run.sqlite-journal',
    ...Object.values(OUTPUT_FILES),
  ])
    try {
      rmSync(join(dir, name), { force: true });
    } catch {
      // not there, or the path is no folder: nothing to remove
    }
  if (removeFolder) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty (or gone): leave it
    }
  }
}

const OUTPUT_FILES = { dataset: 'dataset.jsonl', rejected: 'rejected.jsonl', stats: 'stats.json' };

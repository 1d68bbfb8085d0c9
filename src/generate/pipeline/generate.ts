import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateConfig } from '../../config/index.js';
import { createQueuedLlmProvider } from '../../distributed/llm-jobs.js';
import { ConfigError } from '../../errors/index.js';
import { removeStaleTemporaries } from '../../io/output-path.js';
import { openSqliteResponseCache } from '../../llm/cache/index.js';
import { createLlm, type Llm } from '../../llm/create-llm.js';
import type { LlmProvider } from '../../llm/spec.js';
import {
  createDemonstrationSelector,
  type DemonstrationSelector,
  loadDemonstrations,
} from '../../prompt/demonstrations/index.js';
import { createKnowledgeCache } from '../../prompt/knowledge-cache.js';
import { compilePromptTemplate } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import { exportRun } from '../../store/export/index.js';
import { computeRunStats, type RunStats } from '../../store/run-stats.js';
import { RunStore } from '../../store/run-store.js';
import { writeRunOutputs } from '../../store/write-outputs.js';
import { resolveTask } from '../../tasks/registry/index.js';
import { firstLineQuestion } from '../../tasks/shared/text.js';
import type {
  ConditionSampler,
  Executor,
  GenerationSource,
  ResolvedMix,
  TaskMix,
  TaskPlugin,
  TaskRecord,
} from '../../tasks/spec.js';
import { verifierProvenance } from '../../verify/verify-file.js';
import type { VerifyContext } from '../../verify/verify-stream.js';
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
  /** The task, when the caller has it already (else `config.task`, or `config.taskModule`). */
  readonly task?: TaskPlugin<never>;
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
 * Runs `symgen generate` for any task, through the task contract only: SymGen's two-stage
 * generation (questions, then candidate programs, verified by execution and agreement) when an LLM
 * is configured, else, for a task with a sampler (sql, math), the offline programs-first generator.
 * Every state change goes to `run.sqlite` first; `dataset.jsonl`, `rejected.jsonl` and `stats.json`
 * are rebuilt from it (atomically) at the start, after each round (each source offline) and at the
 * end, so a killed run has its decided examples in them and `symgen export` works on it. A new run
 * that fails before anything is done leaves no run folder behind.
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
  const task = options.task ?? (await resolveTask(config));
  const mode: GenerateProgress['mode'] = config.llm ? 'llm' : 'programs-first';
  if (mode === 'programs-first' && !task.sample) {
    throw new ConfigError('symgen generate', [
      {
        path: 'llm',
        message: `the ${task.id} task has no offline sampler, so it needs a model: pass --model ID --base-url URL (an OpenAI-compatible endpoint), or an llm section in the config`,
      },
    ]);
  }
  const executorOptions = {
    compare: config.verify.compare,
    timeoutMs: config.verify.timeoutMs,
    maxRows: config.verify.maxRows,
    normalise: config.verify.normalise,
    ...(config.verify.workers ? { workers: config.verify.workers } : {}),
    ...config.taskOptions,
  };
  const sourceList: GenerationSource[] = task.sources?.({
    ...(config.knowledge.db ? { db: config.knowledge.db } : {}),
    ...(config.knowledge.databases ? { only: config.knowledge.databases } : {}),
    executor: executorOptions,
    strict: true,
  }) ?? [{ id: task.id }];
  const sources = new Map(sourceList.map((source) => [source.id, source]));
  const quotas = computeQuotas([...sources.keys()], config.count, config.knowledge.quotas);
  // read before the run folder exists: a bad demonstrations file leaves nothing behind
  const pool = config.demonstrations
    ? await loadDemonstrations(
        config.demonstrations.file,
        {
          question: config.demonstrations.questionField ?? task.generation?.fields.question ?? 'question',
          program: config.demonstrations.programField ?? task.generation?.fields.program ?? 'program',
        },
        config.demonstrations.questionField || config.demonstrations.programField
          ? undefined
          : task.generation?.demonstration,
      )
    : undefined;
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
    // after the session is recorded: loading a parser (SQL's WebAssembly) takes a while
    await task.ready?.();
    if (mode === 'llm') {
      const cache = openSqliteResponseCache({ database: store.database });
      let provider: LlmProvider | undefined;
      if (options.queue) {
        const queued = await createQueuedLlmProvider(options.queue, config.llm!, options.env);
        cleanups.push(queued.close);
        provider = queued.provider;
      }
      const spentBefore = Object.entries(store.usageByStage())
        .filter(([stage]) => stage !== 'verify')
        .reduce(
          (sum, [, entry]) => ({
            costUsd: sum.costUsd + (entry.costUsd ?? 0),
            tokens: sum.tokens + (entry.promptTokens ?? 0) + (entry.completionTokens ?? 0),
          }),
          { costUsd: 0, tokens: 0 },
        );
      llm = createLlm(config.llm, {
        cache,
        ...(provider ? { provider } : {}),
        budget: {
          limits: config.budget,
          spent: spentBefore,
          resumeHint: `symgen generate --resume --out ${dir} --max-cost USD or --max-tokens N`,
        },
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
    const samplers = new Map<string, ConditionSampler | undefined>();
    let target: Awaited<ReturnType<TaskMix['target']>> | undefined;
    const writeOutputs = async (complete: boolean) => {
      const coverage = Object.fromEntries(
        [...samplers].flatMap(([dbId, sampler]) => (sampler ? [[dbId, sampler.coverage()]] : [])),
      );
      const stats = computeRunStats(store, {
        mode,
        task: task.id,
        model: llm ? { provider: llm.model.provider, modelId: llm.model.modelId } : null,
        seed: config.seed,
        count: config.count,
        quotas,
        complete,
        ...(Object.keys(coverage).length > 0 ? { coverage } : {}),
        ...(target && task.mix
          ? { mix: mixReport(task.mix, target, acceptedFeaturesByDatabase(store)) }
          : {}),
        currentSessionMs: performance.now() - sessionStarted,
      });
      await writeRunOutputs(store, stats);
      return stats;
    };
    let executor: Executor | undefined;
    const executorOf = () => {
      if (!executor) {
        executor = task.createExecutor(executorOptions as never);
        cleanups.push(() => executor!.close());
      }
      return executor;
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
      await exportRun({
        source: dir,
        format,
        out,
        task,
        ...(config.knowledge.db ? { db: config.knowledge.db } : {}),
      });
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
      // a task with a mix: what the conditions and the sampler aim at (the demonstrations' by default)
      target = await task.mix?.target(config.generation.conditions, pool?.items);
      // the condition and sampler options that aim at a source's target
      const aimOf = (sourceId: string) => task.mix!.aim(target!.forSource(sourceId).target);
      if (mode === 'programs-first') {
        // the task's expansion: the demonstrations' grammar, and its built-in question shapes (without
        // demonstrations, those alone)
        const expand =
          task.expand !== undefined &&
          config.generation.offline.method === 'grammar' &&
          (pool !== undefined || config.generation.offline.beyond > 0);
        options.onMessage?.(
          !expand
            ? `no LLM configured: running the offline programs-first generator of ${task.id}`
            : pool
              ? `no LLM configured: expanding a grammar induced from the demonstrations, with built-in question shapes for ${Math.round(config.generation.offline.beyond * 100)}% (the ${task.id} programs-first generator for what they do not cover)`
              : `no LLM configured: built-in question shapes on the schema (the ${task.id} programs-first generator for what they do not cover)`,
        );
        return await runOfflinePipeline({
          config,
          store,
          task,
          sources,
          quotas,
          executor: executorOf,
          progress,
          ...(target ? { target: (sourceId: string) => target!.forSource(sourceId).target } : {}),
          ...(expand ? { demonstrations: pool?.items ?? [] } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          checkpoint: async () => {
            await writeOutputs(false);
          },
        });
      }
      const demonstrationRecords: TaskRecord[] = (pool?.items ?? []).map((item) => item.record ?? {});
      const knowledge = createKnowledgeCache(task, {
        options: config.knowledge,
        executor: executorOptions,
        demonstrations: demonstrationRecords,
      });
      cleanups.push(() => knowledge.close());
      const knowledgeOf = (sourceId: string) => knowledge.of(sources.get(sourceId)!);
      let selector: DemonstrationSelector | undefined;
      let demonstrationKeys = new Set<string>();
      if (config.demonstrations && pool) {
        if (pool.skipped.length > 0)
          options.onMessage?.(
            `demonstrations: skipped ${pool.skipped.length} unusable lines of ${config.demonstrations.file} (first: line ${pool.skipped[0]!.line}, ${pool.skipped[0]!.reason})`,
          );
        selector = await createDemonstrationSelector(pool.items, config.demonstrations);
        demonstrationKeys = new Set(pool.items.map((item) => questionKey(item.question)));
      }
      const parse = task.generation?.question ?? firstLineQuestion;
      const prompts = task.generation?.prompts;
      const genQ = config.prompts.genQ ?? prompts?.genQ;
      const genA = config.prompts.genA ?? prompts?.genA;
      if (!genQ || !genA) {
        throw new ConfigError('symgen generate', [
          {
            path: genQ ? 'prompts.genA' : 'prompts.genQ',
            message: `the ${task.id} task has no default prompts: write prompts.genQ and prompts.genA in the config`,
          },
        ]);
      }
      const verifiers = new Map<string, VerifyContext>();
      const verifyOf = (sourceId: string) => {
        let verify = verifiers.get(sourceId);
        if (!verify) {
          const source = sources.get(sourceId)!;
          verify = {
            task,
            executor: executorOf(),
            environment: (_dbId, example) => task.environment?.(example, source) ?? source,
            // gen-a.ts reads adaptively itself, in rounds of requests; each round verifies all it has.
            options: {
              ...config.verify,
              adaptive: false,
              testSuiteDir: config.verify.testSuiteDir ?? join(dir, 'test-suite'),
            },
            // the verifier's record of its settings, as `symgen verify` writes it
            provenance: verifierProvenance(task.id, config.verify, {
              compare: config.verify.compare,
              normalise: config.verify.normalise,
              ...(Object.keys(config.taskOptions).length > 0 ? { taskOptions: config.taskOptions } : {}),
            }),
          };
          verifiers.set(sourceId, verify);
        }
        return verify;
      };
      return await runLlmPipeline({
        config,
        store,
        llm: llm!,
        task,
        verify: verifyOf,
        sources,
        quotas,
        knowledge: knowledgeOf,
        selector,
        demonstrationKeys,
        templates: {
          genQ: compilePromptTemplate(genQ, 'prompts.genQ'),
          genA: compilePromptTemplate(genA, 'prompts.genA'),
        },
        conditions: (sourceId) => {
          if (!config.generation.conditions.enabled || !task.conditions) return undefined;
          if (!samplers.has(sourceId)) {
            samplers.set(
              sourceId,
              task.conditions(sources.get(sourceId)!, {
                seed: seedFrom(config.seed, sourceId, 'conditions'),
                options: target
                  ? aimOf(sourceId)
                  : config.generation.conditions.hardnessMix
                    ? { hardnessMix: config.generation.conditions.hardnessMix }
                    : {},
              }),
            );
          }
          return samplers.get(sourceId);
        },
        question: {
          parse,
          words: config.generation.questionWords ?? task.generation?.questionWords ?? { min: 3, max: 40 },
        },
        questionRecord: (question) => ({ ...parse(question)?.fields, question }),
        progress,
        signal: options.signal,
        checkpoint: async () => {
          await writeOutputs(false);
        },
        ...(options.onMessage ? { notify: options.onMessage } : {}),
      });
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
function acceptedFeaturesByDatabase(store: RunStore): Map<string, Record<string, unknown>[]> {
  const rows = store.database
    .prepare(
      `SELECT db_id AS dbId, features FROM examples WHERE state = 'accepted' AND features IS NOT NULL ORDER BY seq`,
    )
    .all() as { dbId: string; features: string }[];
  const byDatabase = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const list = byDatabase.get(row.dbId) ?? [];
    list.push(JSON.parse(row.features) as Record<string, unknown>);
    byDatabase.set(row.dbId, list);
  }
  return byDatabase;
}

/**
 * `stats.json`'s `mix`: the target, what the accepted examples have, and the divergence between
 * them, over the run and per database (against that database's own target when its demonstrations
 * give one), measured by the task's mix.
 */
function mixReport(
  mix: TaskMix,
  target: ResolvedMix & { forSource(sourceId: string): ResolvedMix },
  features: ReadonlyMap<string, readonly Record<string, unknown>[]>,
) {
  const produced = mix.measure([...features.values()].flat());
  return {
    source: target.source,
    target: target.target,
    produced,
    divergence: mix.divergence(target.target, produced),
    byDatabase: Object.fromEntries(
      [...features].map(([dbId, list]) => {
        const own = target.forSource(dbId);
        return [dbId, { source: own.source, divergence: mix.divergence(own.target, mix.measure(list)) }];
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

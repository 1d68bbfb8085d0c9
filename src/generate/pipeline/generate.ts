import { join } from 'node:path';
import type { GenerateConfig } from '../../config/index.js';
import { ConfigError } from '../../errors/index.js';
import { openSqliteResponseCache } from '../../llm/cache/index.js';
import { createLlm, type Llm } from '../../llm/create-llm.js';
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
import { loadSqlParser, sqlTask, sqlVerifierProvenance } from '../../tasks/sql/index.js';
import { createSqlConditionSampler, type SqlConditionSampler } from '../conditions/index.js';
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
 * `stats.json` are rebuilt from it after each round and at the end.
 */
export async function runGenerate(options: GenerateOptions): Promise<GenerateSummary> {
  const { config } = options;
  const dir = config.output.dir;
  const exists = RunStore.exists(dir);
  if (exists && !options.resume) {
    throw new ConfigError('symgen generate', [
      {
        path: 'output.dir',
        message: `${dir} already holds a run; pass --resume to continue it, or choose another --out`,
      },
    ]);
  }
  const databaseSet = DatabaseSet.open(config.knowledge.db);
  const ids = config.knowledge.databases ?? databaseSet.ids();
  const databases = new Map<string, DatabaseEnvironment>(ids.map((id) => [id, databaseSet.resolve(id)]));
  const quotas = computeQuotas(ids, config.count, config.knowledge.quotas);
  const mode: GenerateProgress['mode'] = config.llm ? 'llm' : 'programs-first';
  const store = RunStore.open(dir, { create: true });
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
      llm = createLlm(config.llm, {
        cache,
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
        currentSessionMs: performance.now() - sessionStarted,
      });
      await writeRunOutputs(store, stats);
      return stats;
    };
    let result: { complete: boolean };
    try {
      result = await runPipeline();
    } catch (error) {
      // what was decided before the failure is written out; --resume continues from run.sqlite
      await writeOutputs(false).catch(() => undefined);
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
      if (mode === 'programs-first') {
        options.onMessage?.('no LLM configured: running the offline programs-first generator');
        await loadSqlParser();
        return await runOfflinePipeline({
          config,
          store,
          databases,
          quotas,
          progress,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } else {
        await loadSqlParser();
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
        if (config.demonstrations) {
          const pool = await loadDemonstrations(config.demonstrations.file, {
            question: config.demonstrations.questionField,
            program: config.demonstrations.programField,
          });
          if (pool.skipped.length > 0)
            options.onMessage?.(
              `demonstrations: skipped ${pool.skipped.length} unusable lines of ${config.demonstrations.file} (first: line ${pool.skipped[0]!.line}, ${pool.skipped[0]!.reason})`,
            );
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
                  ...(config.generation.conditions.hardnessMix
                    ? { hardnessMix: config.generation.conditions.hardnessMix }
                    : {}),
                }),
              );
            }
            return samplers.get(dbId);
          },
          progress,
          signal: options.signal,
          ...(options.onMessage ? { notify: options.onMessage } : {}),
        });
      }
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

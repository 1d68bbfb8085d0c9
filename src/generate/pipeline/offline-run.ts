import type { GenerateConfig } from '../../config/index.js';
import type { Demonstration } from '../../prompt/demonstrations/index.js';
import { seedFrom } from '../../prompt/seed.js';
import type { RunStore } from '../../store/run-store.js';
import type { Executor, GenerationSource, TaskPlugin } from '../../tasks/spec.js';
import type { SqlFeatures } from '../../tasks/sql/features.js';
import type { MixTarget } from '../../tasks/sql/mix.js';
import { generateFromDemonstrations } from '../grammar/generate.js';
import { engineInfo } from './engine-info.js';
import type { ProgressTracker } from './progress.js';
import { questionKey } from './question-text.js';
import { sampledExamples } from './sampled-examples.js';

/**
 * The offline pipeline (no LLM configured, a task with a sampler): the task's sampler draws
 * programs from each source with their questions (SQL from the database's schema; math small
 * programs of thought); a program the sampler did not run is executed once with the task's
 * executor and kept only when it runs. For SQL with demonstrations (`offline.method: grammar`), a
 * grammar induced from them is expanded over each database first (`generateFromDemonstrations`: the
 * people's phrasing, other values, columns and tables), and the sampler fills what the grammar
 * cannot, aiming at the target mix (the demonstrations' by default). Every kept example lands in
 * the store as accepted. Both are seeded per source, so a resumed run replays the same sequence
 * and the store skips examples it already holds.
 */
export async function runOfflinePipeline(options: {
  config: GenerateConfig;
  store: RunStore;
  task: TaskPlugin<never>;
  sources: ReadonlyMap<string, GenerationSource>;
  quotas: ReadonlyMap<string, number>;
  executor: () => Executor;
  progress: ProgressTracker;
  /** The mix the sampler aims at, per source (sql). */
  target?: (dbId: string) => MixTarget;
  /** Expand a grammar induced from these first. */
  demonstrations?: readonly Demonstration[];
  signal?: AbortSignal;
  /** Rewrites the run's output files from the store (after each database). */
  checkpoint?: () => Promise<void>;
}): Promise<{ complete: boolean }> {
  const { config, store, progress, task } = options;
  let complete = true;
  const have = store.countByDatabase();
  progress.genQ.total = [...options.quotas.values()].reduce((sum, quota) => sum + quota, 0);
  progress.genQ.done = [...have.values()].reduce((sum, count) => sum + count, 0);
  progress.genA.total = progress.genQ.total;
  progress.genA.done = progress.genQ.done;
  progress.genA.accepted = progress.genQ.done;
  progress.emit();
  for (const [dbId, quota] of options.quotas) {
    let count = have.get(dbId) ?? 0;
    if (count >= quota) continue;
    const source = options.sources.get(dbId)!;
    const insert = (example: {
      id: string;
      question: string;
      record: Record<string, unknown>;
      features: unknown;
    }) => {
      const record = {
        ...example.record,
        provenance: {
          ...(example.record.provenance as Record<string, unknown>),
          seed: config.seed,
          engine: engineInfo(),
        },
      };
      const inserted = store.insertDecided({
        id: example.id,
        dbId,
        question: example.question,
        key: questionKey(example.question),
        status: 'accepted',
        record,
        features: example.features,
      });
      if (inserted) {
        count++;
        progress.genQ.done++;
        progress.genA.done++;
        progress.genA.accepted++;
        progress.emit();
      }
    };
    // what the grammar made, so programs-first aims at what it left missing
    const fromGrammar: SqlFeatures[] = [];
    if (options.demonstrations && source.path) {
      for await (const example of generateFromDemonstrations({
        dbPath: source.path,
        dbId,
        demonstrations: options.demonstrations,
        count: quota * 2,
        seed: seedFrom(config.seed, dbId, 'grammar'),
        ...(options.target ? { target: options.target(dbId) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })) {
        options.signal?.throwIfAborted();
        fromGrammar.push(example.features);
        insert({
          id: example.id,
          question: example.question,
          features: example.features,
          record: {
            id: example.id,
            question: example.question,
            db_id: dbId,
            status: 'accepted',
            program: example.program,
            ...(task.generation?.fields.program && task.generation.fields.program !== 'program'
              ? { [task.generation.fields.program]: example.program }
              : {}),
            confidence: 1,
            features: example.features,
            result: example.result,
            provenance: { ...example.provenance, task: task.id },
          },
        });
        if (count >= quota) break;
      }
    }
    if (count >= quota) continue;
    const whole = options.target?.(dbId);
    const target = whole && fromGrammar.length > 0 ? remainingMix(whole, fromGrammar, quota) : whole;
    // draws beyond the quota leave room for programs whose question repeats or that do not run
    for await (const example of sampledExamples({
      task,
      source,
      seed: seedFrom(config.seed, dbId, 'programs-first'),
      count: quota * 2,
      maxDraws: quota * 4 + 16,
      options: {
        ...config.taskOptions,
        ...(target
          ? { hardnessMix: target.hardness, clauseTargets: target.clauses, tableTargets: target.tables }
          : config.generation.conditions.hardnessMix
            ? { hardnessMix: config.generation.conditions.hardnessMix }
            : {}),
      },
      executor: options.executor,
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      insert(example);
      if (count >= quota) break;
    }
    if (count < quota) complete = false;
    await options.checkpoint?.();
  }
  return { complete };
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

import type { GenerateConfig } from '../../config/index.js';
import type { Demonstration } from '../../prompt/demonstrations/index.js';
import { seedFrom } from '../../prompt/seed.js';
import type { RunStore } from '../../store/run-store.js';
import type { Executor, GenerationSource, MixShares, TaskPlugin } from '../../tasks/spec.js';
import { engineInfo } from './engine-info.js';
import type { ProgressTracker } from './progress.js';
import { questionKey } from './question-text.js';
import { sampledExamples } from './sampled-examples.js';

/**
 * The offline pipeline (no LLM configured, a task with a sampler): the task's sampler draws
 * programs from each source with their questions (SQL from the database's schema; math small
 * programs of thought); a program the sampler did not run is executed once with the task's
 * executor and kept only when it runs. With `offline.method: grammar`, a task with `expand` makes
 * examples first (SQL: a grammar induced from the demonstrations, expanded over each database with
 * the people's phrasing and other values, columns and tables, and `offline.beyond` of them from the
 * task's built-in question shapes; with no demonstrations, those shapes alone), and the sampler fills
 * what that cannot, aiming at the task's target mix (the demonstrations' by default). Every kept example lands in
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
  /** A source's target mix (a task with a mix): the expansion follows it, the sampler aims at what it left. */
  target?: (dbId: string) => MixShares;
  /** Expand these with the task's `expand` first (empty: the task's built-in shapes alone). */
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
    // what the expansion made, so the sampler aims at what it left missing
    const expanded: Readonly<Record<string, unknown>>[] = [];
    if (options.demonstrations && task.expand) {
      for await (const example of task.expand({
        source,
        demonstrations: options.demonstrations,
        count: quota * 2,
        seed: seedFrom(config.seed, dbId, 'grammar'),
        beyond: config.generation.offline.beyond,
        ...(options.target ? { target: options.target(dbId) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })) {
        options.signal?.throwIfAborted();
        expanded.push(example.features);
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
    const aimed =
      whole && expanded.length > 0 && task.mix?.remaining
        ? task.mix.remaining(whole, expanded, quota)
        : whole;
    const aim = aimed && task.mix ? task.mix.aim(aimed) : undefined;
    // draws beyond the quota leave room for programs whose question repeats or that do not run
    for await (const example of sampledExamples({
      task,
      source,
      seed: seedFrom(config.seed, dbId, 'programs-first'),
      count: quota * 2,
      maxDraws: quota * 4 + 16,
      options: {
        ...config.taskOptions,
        ...(aim
          ? aim
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

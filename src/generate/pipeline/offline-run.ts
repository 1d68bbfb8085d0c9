import type { GenerateConfig } from '../../config/index.js';
import type { Demonstration } from '../../prompt/demonstrations/index.js';
import { seedFrom } from '../../prompt/seed.js';
import type { RunStore } from '../../store/run-store.js';
import type { DatabaseEnvironment } from '../../tasks/sql/databases.js';
import type { MixTarget } from '../../tasks/sql/mix.js';
import { generateFromDemonstrations } from '../grammar/generate.js';
import { generateProgramsFirst } from '../programs-first/index.js';

/** What both offline generators give. */
interface OfflineExample {
  readonly id: string;
  readonly question: string;
  readonly program: string;
  readonly canonicalQuestion?: string;
  readonly features: unknown;
  readonly condition?: unknown;
  readonly result: unknown;
  readonly provenance: Record<string, unknown>;
}

import { engineInfo } from './engine-info.js';
import type { ProgressTracker } from './progress.js';
import { questionKey } from './question-text.js';

/**
 * The offline pipeline (no LLM configured). With demonstrations: a grammar induced from them is
 * expanded over each database (`generateFromDemonstrations`: the people's phrasing, other values,
 * columns and tables), and the programs-first generator fills what the grammar cannot, aiming at the
 * target mix (the demonstrations' by default). Without: programs-first alone. Every example lands in
 * the store as accepted (its program executed when it was made). Both generators are seeded per
 * database, so a resumed run replays the same sequence and the store skips examples it already holds.
 */
export async function runOfflinePipeline(options: {
  config: GenerateConfig;
  store: RunStore;
  databases: ReadonlyMap<string, DatabaseEnvironment>;
  quotas: ReadonlyMap<string, number>;
  progress: ProgressTracker;
  /** The mix programs-first aims at, per database. */
  target: (dbId: string) => MixTarget;
  /** Expand a grammar induced from these first. */
  demonstrations?: readonly Demonstration[];
  signal?: AbortSignal;
  /** Rewrites the run's output files from the store (after each database). */
  checkpoint?: () => Promise<void>;
}): Promise<{ complete: boolean }> {
  const { config, store, progress } = options;
  let complete = true;
  let seen = 0;
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
    const environment = options.databases.get(dbId)!;
    const insert = (example: OfflineExample) => {
      const record = {
        id: example.id,
        question: example.question,
        db_id: dbId,
        status: 'accepted',
        program: example.program,
        ...(example.canonicalQuestion === undefined ? {} : { canonicalQuestion: example.canonicalQuestion }),
        confidence: 1,
        features: example.features,
        ...(example.condition === undefined ? {} : { condition: example.condition }),
        result: example.result,
        provenance: {
          ...example.provenance,
          database: { id: dbId, sha256: environment.sha256 },
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
    if (options.demonstrations) {
      for await (const example of generateFromDemonstrations({
        dbPath: environment.path,
        dbId,
        demonstrations: options.demonstrations,
        count: quota * 2,
        seed: seedFrom(config.seed, dbId, 'grammar'),
        ...(options.signal ? { signal: options.signal } : {}),
      })) {
        options.signal?.throwIfAborted();
        insert(example);
        if (count >= quota) break;
      }
    }
    if (count >= quota) continue;
    const seed = seedFrom(config.seed, dbId, 'programs-first');
    const target = options.target(dbId);
    // asking for twice the quota leaves room for examples whose question repeats an earlier one
    for await (const example of generateProgramsFirst({
      dbPath: environment.path,
      dbId,
      count: quota * 2,
      seed,
      hardnessMix: target.hardness,
      clauseTargets: target.clauses,
      tableTargets: target.tables,
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      // the generator can run without ever yielding to the event loop; let signals (Ctrl-C) through
      if (++seen % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      insert(example);
      if (count >= quota) break;
    }
    if (count < quota) complete = false;
    await options.checkpoint?.();
  }
  return { complete };
}

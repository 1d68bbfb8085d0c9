import { join } from 'node:path';
import { writeLinesAtomically } from '../io/index.js';
import type { RunStats } from './run-stats.js';
import type { RunStore } from './run-store.js';

/** File names inside a run directory. */
export const RUN_FILES = {
  dataset: 'dataset.jsonl',
  rejected: 'rejected.jsonl',
  stats: 'stats.json',
  store: 'run.sqlite',
} as const;

/**
 * Writes `dataset.jsonl` (accepted), `rejected.jsonl` and `stats.json`, each whole or not at all,
 * from `run.sqlite`: the files are views of the store, so they can be rebuilt at any time and a
 * killed run never leaves a half-written one.
 */
export async function writeRunOutputs(
  store: RunStore,
  stats: RunStats,
): Promise<{ accepted: number; rejected: number }> {
  const accepted = await writeLinesAtomically(join(store.dir, RUN_FILES.dataset), records(store, 'accepted'));
  const rejected = await writeLinesAtomically(
    join(store.dir, RUN_FILES.rejected),
    records(store, 'rejected'),
  );
  await writeJsonAtomically(join(store.dir, RUN_FILES.stats), stats);
  return { accepted, rejected };
}

/** Writes one JSON document atomically (pretty-printed). */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeLinesAtomically(path, single(JSON.stringify(value, null, 2)));
}

async function* single(text: string): AsyncGenerator<string> {
  yield text;
}

async function* records(store: RunStore, state: 'accepted' | 'rejected'): AsyncGenerator<string> {
  for (const example of store.examples(state)) {
    if (example.record) yield JSON.stringify(example.record);
  }
}

import Database from 'better-sqlite3';
import { z } from 'zod';
import type { LlmSample } from '../spec.js';

/** Hit and miss counts, per sample. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
}

/** A persistent store of generated samples by key. */
export interface ResponseCache {
  /** Looks up keys; counts a hit or a miss for each. */
  getMany(keys: readonly string[]): Map<string, LlmSample>;
  setMany(entries: ReadonlyArray<readonly [string, LlmSample]>): void;
  stats(): CacheStats;
  close(): void;
}

const storedSampleSchema = z.looseObject({
  index: z.number(),
  text: z.string(),
  finishReason: z.enum(['stop', 'length', 'content-filter', 'error', 'other']),
  tokenLogprobs: z.array(z.number()).optional(),
});

/**
 * Opens (or creates) a response cache in a SQLite file, or in an already open database such as
 * the run's `run.sqlite`. Entries are kept until the file is deleted.
 * @example
 * const cache = openSqliteResponseCache({ path: 'runs/r1/run.sqlite' });
 */
export function openSqliteResponseCache(
  options: { path: string } | { database: Database.Database },
): ResponseCache {
  const ownsDatabase = 'path' in options;
  const database = 'path' in options ? new Database(options.path) : options.database;
  if (ownsDatabase) database.pragma('journal_mode = WAL');
  database.exec(
    'CREATE TABLE IF NOT EXISTS llm_cache (key TEXT PRIMARY KEY, sample TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID',
  );
  const select = database.prepare<[string], { sample: string }>('SELECT sample FROM llm_cache WHERE key = ?');
  const insert = database.prepare<[string, string, number]>(
    'INSERT OR REPLACE INTO llm_cache (key, sample, created_at) VALUES (?, ?, ?)',
  );
  const insertMany = database.transaction((entries: ReadonlyArray<readonly [string, LlmSample]>) => {
    const now = Date.now();
    for (const [key, sample] of entries) insert.run(key, JSON.stringify(sample), now);
  });
  let hits = 0;
  let misses = 0;
  return {
    getMany(keys) {
      const found = new Map<string, LlmSample>();
      for (const key of keys) {
        const row = select.get(key);
        // an unreadable entry (hand-edited, older layout) counts as a miss and gets overwritten
        const parsed = row ? storedSampleSchema.safeParse(JSON.parse(row.sample)) : undefined;
        if (parsed?.success) {
          found.set(key, parsed.data);
          hits += 1;
        } else {
          misses += 1;
        }
      }
      return found;
    },
    setMany(entries) {
      if (entries.length > 0) insertMany(entries);
    },
    stats: () => ({ hits, misses }),
    close() {
      if (ownsDatabase) database.close();
    },
  };
}

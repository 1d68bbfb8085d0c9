import { normaliseSql } from '../../tasks/sql/normalise.js';

/** A cache miss: the program's text normal form, and where to put its result once there is one. */
export interface ProgramMiss<T> {
  readonly hit?: undefined;
  readonly textKey: string;
  /** The database path and text normal form, as one key. */
  readonly key: string;
  store(result: T): void;
}

/**
 * Results by database and program, so each distinct program runs once per database: the exact text
 * is looked up first, then the text normal form (`normaliseSql`, or the one the caller has already).
 * Shared by the in-thread runner (results) and the executor processes (promises of results).
 */
export class ProgramCache<T> {
  readonly counters = { requests: 0, cacheHits: 0 };
  private readonly entries = new Map<string, T>();

  lookup(path: string, program: string, normalised?: string): { readonly hit: T } | ProgramMiss<T> {
    this.counters.requests++;
    const rawKey = `${path}\u0001${program}`;
    const exact = this.entries.get(rawKey);
    if (exact !== undefined) {
      this.counters.cacheHits++;
      return { hit: exact };
    }
    const textKey = normalised ?? normaliseSql(program);
    const key = `${path}\u0000${textKey}`;
    const known = this.entries.get(key);
    if (known !== undefined) {
      this.counters.cacheHits++;
      this.entries.set(rawKey, known);
      return { hit: known };
    }
    return {
      textKey,
      key,
      store: (result) => {
        this.entries.set(key, result);
        this.entries.set(rawKey, result);
      },
    };
  }
}

import { normaliseSql } from '../normalise.js';

/** The result cached for this very text. */
export interface ExactHit<T> {
  readonly exact: true;
  readonly hit: T;
}

/**
 * No result for this very text: perhaps one for another text with the same normal form (`hit`),
 * which the caller may `reuse()`, or replace by running this text and `store`-ing its result.
 */
export interface NormalFormLookup<T> {
  readonly exact: false;
  readonly hit: T | undefined;
  readonly textKey: string;
  /** The database path and text normal form, as one key. */
  readonly key: string;
  /** Record `result` for this text, and for its normal form when none is recorded yet. */
  store(result: T): void;
  /** Answer this text with `hit` (counted as a cache hit), and record it for this text. */
  reuse(): T;
}

/**
 * Results by database and program, so each distinct program runs once per database: the exact text
 * is looked up first, then the text normal form (`normaliseSql`, or the one the caller has already).
 * Shared by the in-thread runner (results) and the executor processes (promises of results).
 */
export class ProgramCache<T> {
  readonly counters = { requests: 0, cacheHits: 0 };
  /** By database: results by exact text, and by text normal form. */
  private readonly databases = new Map<string, { texts: Map<string, T>; forms: Map<string, T> }>();

  lookup(path: string, program: string, normalised?: string): ExactHit<T> | NormalFormLookup<T> {
    this.counters.requests++;
    let database = this.databases.get(path);
    if (!database) {
      database = { texts: new Map(), forms: new Map() };
      this.databases.set(path, database);
    }
    const { texts, forms } = database;
    const exact = texts.get(program);
    if (exact !== undefined) {
      this.counters.cacheHits++;
      return { exact: true, hit: exact };
    }
    const textKey = normalised ?? normaliseSql(program);
    const hit = forms.get(textKey);
    const counters = this.counters;
    return {
      exact: false,
      hit,
      textKey,
      get key() {
        return `${path}\u0000${textKey}`;
      },
      store: (result) => {
        if (hit === undefined) forms.set(textKey, result);
        texts.set(program, result);
      },
      reuse: () => {
        if (hit === undefined) throw new Error(`no result for the normal form of ${program}`);
        counters.cacheHits++;
        texts.set(program, hit);
        return hit;
      },
    };
  }
}

/**
 * Whether a result found for another text with the same normal form answers this text too. A
 * statement that did not compile does not: its message quotes its own text ("no such column:
 * CITY.NAME" against "city.name"), so each text is prepared itself. That keeps every message an
 * example's own, whichever text of a normal form happened to run first.
 */
export function sharesAcrossTexts(result: { readonly status: string; readonly phase?: string }): boolean {
  return !(result.status === 'error' && result.phase === 'prepare');
}

import type Database from 'better-sqlite3';
import { openReadOnly } from '../schema.js';
import { GUARD_EXTENSION_PATH } from './guard-extension.js';
import type { SqliteLimits } from './protocol.js';
import type { CompareMode } from './result-key.js';

/** What `symgen_guard_run` answers for one statement (native/run_statement.h). */
export type NativeAnswer =
  | {
      readonly rows: number;
      readonly bagKey: string;
      readonly listKey: string;
      readonly columns: string[];
      readonly preview: unknown[][];
    }
  | { readonly error: string; readonly phase?: 'prepare' }
  | { readonly stop: 'rows' | 'bytes' }
  | { readonly refused: true }
  | { readonly timeout: true }
  /** The answer would not fit SQLite's length limit: run the statement in JavaScript instead. */
  | { readonly fallback: true };

const MODES: Record<CompareMode, number> = { multiset: 0, strict: 1, set: 2 };

/** A read-only connection that refuses everything but reading and interrupts statements past their budget. */
export interface GuardedConnection {
  readonly db: Database.Database;
  /** Interrupt whatever runs `ms` milliseconds from now (0 disarms). */
  arm(ms: number): void;
  /** Run one statement in C under `limits.timeoutMs`, its result hashed there (`runGuarded`). */
  run(sql: string, limits: SqliteLimits): NativeAnswer;
  close(): void;
}

/**
 * Open `path` read-only and query-only, load the guard (which then refuses ATTACH, PRAGMA, writes,
 * `load_extension` and further extension loading) and cap strings and blobs at `maxLength` bytes.
 */
export function openGuarded(path: string, maxLength: number): GuardedConnection {
  const db = openReadOnly(path);
  try {
    db.loadExtension(GUARD_EXTENSION_PATH);
    const token = db.prepare('SELECT symgen_guard_token()').pluck().get() as number;
    db.prepare('SELECT symgen_guard_limit(?, ?)').get(token, Math.min(maxLength, 1_000_000_000));
    const armStatement = db.prepare('SELECT symgen_guard_arm(?, ?)');
    const runStatement = db.prepare('SELECT symgen_guard_run(?, ?, ?, ?, ?, ?, ?)').pluck();
    return {
      db,
      arm(ms) {
        try {
          armStatement.get(token, ms);
        } catch (error) {
          // An interrupt that fired just as the last statement ended can hit this call; SQLite clears
          // it when the next statement starts, so one retry always gets through.
          if (ms > 0) armStatement.get(token, ms);
          else if ((error as { code?: unknown }).code !== 'SQLITE_INTERRUPT') throw error;
        }
      },
      run(sql, limits) {
        let answer: string;
        try {
          answer = runStatement.get(
            token,
            sql,
            limits.timeoutMs,
            limits.maxRows,
            limits.maxBytes,
            limits.previewRows,
            MODES[limits.compare],
          ) as string;
        } catch (error) {
          // The budget ran out just as the statement ended, and interrupted the call around it.
          if ((error as { code?: unknown }).code === 'SQLITE_INTERRUPT') return { timeout: true };
          return { error: (error as Error).message };
        }
        return JSON.parse(answer) as NativeAnswer;
      },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

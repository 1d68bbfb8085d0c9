import type Database from 'better-sqlite3';
import { openReadOnly } from '../../tasks/sql/schema.js';
import { GUARD_EXTENSION_PATH } from './guard-extension.js';

/** A read-only connection that refuses everything but reading and interrupts statements past their budget. */
export interface GuardedConnection {
  readonly db: Database.Database;
  /** Interrupt whatever runs `ms` milliseconds from now (0 disarms). */
  arm(ms: number): void;
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
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/**
 * The `symgen_guard` SQLite extension (native/symgen_guard.c, built by `npm run build` into
 * build/native): a watchdog thread that interrupts a statement at its time budget, and an authorizer
 * that allows reading only. With it, untrusted queries can run in this process (on worker threads)
 * instead of in executor processes that must be killed to stop a runaway statement.
 */
export const GUARD_EXTENSION_PATH = fileURLToPath(
  new URL('../../../build/native/symgen_guard.so', import.meta.url),
);

/** True when the guard extension is built for this platform (Linux or macOS with a C compiler at build time). */
export function guardAvailable(): boolean {
  return process.platform !== 'win32' && existsSync(GUARD_EXTENSION_PATH);
}

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
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('query_only = ON');
    db.pragma('trusted_schema = OFF');
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

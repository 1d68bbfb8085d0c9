import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The `symgen_guard` SQLite extension (native/symgen_guard.c, built by `npm run build` into
 * build/native): a watchdog thread that interrupts a statement at its time budget, and an authorizer
 * that allows reading only. With it, untrusted queries can run in this process (on worker threads)
 * instead of in executor processes that must be killed to stop a runaway statement.
 */
export const GUARD_EXTENSION_PATH = fileURLToPath(
  new URL('../../../../build/native/symgen_guard.so', import.meta.url),
);

/** True when the guard extension is built for this platform (Linux or macOS with a C compiler at build time). */
export function guardAvailable(): boolean {
  return process.platform !== 'win32' && existsSync(GUARD_EXTENSION_PATH);
}

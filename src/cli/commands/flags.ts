import { closeSync, openSync, readSync } from 'node:fs';
import { ConfigError, InputError } from '../../errors/index.js';

/** Parse a whole-number flag (at least `min`), with a one-line error naming the flag. */
export function integerFlag(name: string, value: unknown, min = 0): number {
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new ConfigError(name, [
      { path: '', message: `expected a whole number, got ${JSON.stringify(value)}` },
    ]);
  }
  if (number < min) {
    throw new ConfigError(name, [{ path: '', message: `must be at least ${min}, got ${number}` }]);
  }
  return number;
}

/** Check `--task` names a task this command supports. */
export function requireTask(value: unknown, supported: readonly string[]): string {
  if (typeof value === 'string' && supported.includes(value)) return value;
  throw new ConfigError('--task', [
    { path: '', message: `unknown task ${JSON.stringify(value)}; supported here: ${supported.join(', ')}` },
  ]);
}

/**
 * Refuses an input file with nothing in it (only white space): a command run on it would produce
 * nothing, so it says so and exits 2 instead of writing an empty output. A missing or unreadable
 * file is left to the reader, which names the problem.
 */
export function requireContent(path: unknown, flag: string, what: string): void {
  if (typeof path !== 'string') return;
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      const read = readSync(descriptor, buffer, 0, buffer.length, null);
      if (read === 0) break;
      if (buffer.subarray(0, read).toString('utf8').trim() !== '') return;
    }
  } catch {
    return; // a folder or an unreadable file: the reader says so
  } finally {
    closeSync(descriptor);
  }
  throw new InputError(
    `${flag} ${path} is empty: nothing to ${what}; give a JSONL file with one example per line`,
    {
      file: path,
    },
  );
}

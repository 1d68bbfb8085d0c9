import { ConfigError } from '../../errors/index.js';

/** Parse a whole-number flag, with a one-line error naming the flag. */
export function integerFlag(name: string, value: unknown): number {
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new ConfigError(name, [
      { path: '', message: `expected a whole number, got ${JSON.stringify(value)}` },
    ]);
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

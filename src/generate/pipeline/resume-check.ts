import { ConfigError } from '../../errors/index.js';

// Settings a resumed run may change: they change speed or where files go, not what is generated.
const FREE_PATHS = new Set([
  'output',
  'budget',
  'generation.concurrency',
  'llm.scheduler',
  'verify.workers',
  'verify.window',
]);

/**
 * Checks that a resumed run uses the configuration it started with (apart from speed and output
 * settings); throws a {@link ConfigError} naming the first setting that differs.
 */
export function checkResumeConfig(stored: unknown, current: unknown): void {
  const difference = firstDifference(stored, current, '');
  if (difference !== undefined) {
    throw new ConfigError('--resume', [
      {
        path: difference,
        message: `differs from the run being resumed (was ${show(get(stored, difference))}, now ${show(get(current, difference))}); resume with the same settings or start a new run with another --out`,
      },
    ]);
  }
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (FREE_PATHS.has(path)) return undefined;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : path || '(root)';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function get(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((current, key) => (isObject(current) ? current[key] : undefined), value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'unset';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

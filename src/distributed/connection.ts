import { ConfigError } from '../errors/index.js';

/** Where the Redis server behind the queues is, as ioredis takes it. */
export interface QueueConnection {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** BullMQ workers block on Redis; ioredis must not give up on their commands. */
  readonly maxRetriesPerRequest: null;
}

/**
 * Reads `--queue redis://[user:password@]HOST[:PORT][/DB]` (`rediss://` is refused: TLS is not set up
 * here). Throws a one-line `ConfigError` naming the flag and the expected form.
 */
export function parseQueueUrl(url: string, flag = '--queue'): QueueConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(flag, [
      {
        path: '',
        message: `${JSON.stringify(url)} is not a URL; expected redis://HOST:PORT (e.g. redis://127.0.0.1:6379)`,
      },
    ]);
  }
  if (parsed.protocol !== 'redis:') {
    throw new ConfigError(flag, [
      {
        path: '',
        message: `expected a redis://HOST:PORT URL, got the scheme ${JSON.stringify(parsed.protocol)}`,
      },
    ]);
  }
  const db = parsed.pathname && parsed.pathname !== '/' ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new ConfigError(flag, [
      {
        path: '',
        message: `the database number ${JSON.stringify(parsed.pathname.slice(1))} is not an integer`,
      },
    ]);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    maxRetriesPerRequest: null,
  };
}

import type { SchedulerClock } from './clock.js';

/** Request and token budgets per minute. */
export interface RateLimitOptions {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

/** Waits until a request fits the budgets, in arrival order. */
export interface RateLimiter {
  /** Waits for one request of `estimatedTokens`. */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<void>;
  /** Corrects the token budget once the real usage is known (refund or debt). */
  settle(estimatedTokens: number, actualTokens: number): void;
}

interface Bucket {
  readonly ratePerMs: number;
  readonly capacity: number;
  level: number;
  updatedAt: number;
}

// Providers enforce per-minute limits over shorter windows too, so allow at most 10 s of burst.
const burstMs = 10_000;

/** Creates token-bucket rate limits; a limit left out is not enforced. */
export function createRateLimiter(options: RateLimitOptions, clock: SchedulerClock): RateLimiter {
  const makeBucket = (perMinute: number | undefined): Bucket | undefined => {
    if (perMinute === undefined || !Number.isFinite(perMinute)) return undefined;
    const ratePerMs = perMinute / 60_000;
    const capacity = Math.max(1, ratePerMs * burstMs);
    return { ratePerMs, capacity, level: capacity, updatedAt: clock.now() };
  };
  const requests = makeBucket(options.requestsPerMinute);
  const tokens = makeBucket(options.tokensPerMinute);
  let queue: Promise<void> = Promise.resolve();

  const refill = (bucket: Bucket) => {
    const now = clock.now();
    bucket.level = Math.min(bucket.capacity, bucket.level + (now - bucket.updatedAt) * bucket.ratePerMs);
    bucket.updatedAt = now;
  };
  const waitMs = (bucket: Bucket | undefined, cost: number) => {
    if (!bucket) return 0;
    refill(bucket);
    // a request larger than the whole bucket waits for a full bucket instead of forever
    const needed = Math.min(cost, bucket.capacity);
    return bucket.level >= needed ? 0 : (needed - bucket.level) / bucket.ratePerMs;
  };

  const take = async (cost: number, signal?: AbortSignal) => {
    for (;;) {
      signal?.throwIfAborted();
      const wait = Math.max(waitMs(requests, 1), waitMs(tokens, cost));
      if (wait <= 0) break;
      await clock.sleep(Math.ceil(wait), signal);
    }
    if (requests) requests.level -= 1;
    if (tokens) tokens.level -= Math.min(cost, tokens.capacity);
  };

  return {
    acquire(estimatedTokens, signal) {
      if (!requests && !tokens) return Promise.resolve();
      const turn = queue.then(() => take(estimatedTokens, signal));
      // the next caller waits for this one's turn whether it succeeded or was aborted
      queue = turn.catch(() => {});
      return turn;
    },
    settle(estimatedTokens, actualTokens) {
      if (!tokens) return;
      refill(tokens);
      tokens.level = Math.min(tokens.capacity, tokens.level + estimatedTokens - actualTokens);
    },
  };
}

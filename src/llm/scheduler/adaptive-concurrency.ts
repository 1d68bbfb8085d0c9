import type { SchedulerClock } from './clock.js';

/** Options of the adaptive concurrency limit. */
export interface AdaptiveConcurrencyOptions {
  /** Concurrency to start from. @default 4 */
  readonly initial?: number;
  /** @default 1 */
  readonly min?: number;
  /** Hard cap, e.g. what the server or your quota allows. @default 64 */
  readonly max?: number;
  /**
   * Shrink when the smoothed latency exceeds the baseline by this factor; `Infinity` turns the
   * latency signal off. @default 3
   */
  readonly latencyTolerance?: number;
}

/** How a request that held a slot ended. */
export type SlotOutcome =
  | { readonly kind: 'success'; readonly latencyMs: number }
  | { readonly kind: 'rate-limited' }
  | { readonly kind: 'failure' };

/** A concurrency limit that adapts by AIMD and can be paused (for `retry-after`). */
export interface AdaptiveConcurrency {
  acquire(signal?: AbortSignal): Promise<(outcome: SlotOutcome) => void>;
  /** Lets no new request start before `time` (ms since epoch). */
  pauseUntil(time: number): void;
  readonly limit: number;
  readonly inFlight: number;
}

/**
 * Creates an AIMD concurrency limit. It starts in slow start (+1 per success) and after the first
 * congestion signal grows by 1/limit per success (about +1 per round of requests). A 429 cuts it
 * to 70% (CUBIC's factor: halving, as TCP Reno does, wastes more throughput on the way back up); a smoothed latency above `latencyTolerance` times the baseline shrinks it by 10%. At most one
 * decrease per round trip, so a burst of 429s from one round counts once.
 */
export function createAdaptiveConcurrency(
  options: AdaptiveConcurrencyOptions,
  clock: SchedulerClock,
  onChange: (limit: number) => void = () => {},
): AdaptiveConcurrency {
  const min = Math.max(1, options.min ?? 1);
  const max = Math.max(min, options.max ?? 64);
  const tolerance = options.latencyTolerance ?? 3;
  let limit = Math.min(max, Math.max(min, options.initial ?? 4));
  let slowStart = true;
  let inFlight = 0;
  let pausedUntil = 0;
  let pauseTimer = false;
  let smoothedLatency: number | undefined;
  let baselineLatency: number | undefined;
  let lastDecrease = Number.NEGATIVE_INFINITY;
  const waiters: { resolve: () => void; reject: (reason: unknown) => void; signal?: AbortSignal }[] = [];

  const allowed = () => Math.max(min, Math.floor(limit));
  const setLimit = (next: number) => {
    const before = allowed();
    limit = Math.min(max, Math.max(min, next));
    if (allowed() !== before) onChange(allowed());
  };
  const decrease = (factor: number) => {
    const now = clock.now();
    if (now - lastDecrease < (smoothedLatency ?? 1000)) return;
    lastDecrease = now;
    slowStart = false;
    setLimit(limit * factor);
  };

  const pump = () => {
    const now = clock.now();
    if (now < pausedUntil) {
      if (!pauseTimer) {
        pauseTimer = true;
        void clock.sleep(pausedUntil - now).then(() => {
          pauseTimer = false;
          pump();
        });
      }
      return;
    }
    while (inFlight < allowed() && waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (waiter.signal?.aborted) continue;
      inFlight += 1;
      waiter.resolve();
    }
  };

  const release = (outcome: SlotOutcome) => {
    inFlight -= 1;
    if (outcome.kind === 'success') {
      const latency = outcome.latencyMs;
      smoothedLatency = smoothedLatency === undefined ? latency : 0.9 * smoothedLatency + 0.1 * latency;
      // the baseline follows the best latency seen and drifts slowly up, so a lasting change
      // (a longer prompt) is accepted instead of shrinking forever: 0.1% of the gap per round trip
      // (per 1/limit of a round per answer), so a queue that builds as concurrency rises, as on a
      // saturated server that never answers 429, keeps the limit down instead of becoming the baseline
      const drift = 0.001 / Math.max(1, allowed());
      baselineLatency =
        baselineLatency === undefined
          ? smoothedLatency
          : Math.min(smoothedLatency, (1 - drift) * baselineLatency + drift * smoothedLatency);
      if (smoothedLatency > tolerance * baselineLatency) decrease(0.9);
      else setLimit(slowStart ? limit + 1 : limit + 1 / limit);
    } else if (outcome.kind === 'rate-limited') {
      decrease(0.7);
    }
    pump();
  };

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      if (inFlight < allowed() && waiters.length === 0 && clock.now() >= pausedUntil) {
        inFlight += 1;
      } else {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            const position = waiters.indexOf(waiter);
            if (position >= 0) waiters.splice(position, 1);
            reject(signal?.reason);
          };
          const waiter = {
            resolve: () => {
              signal?.removeEventListener('abort', onAbort);
              resolve();
            },
            reject,
            signal,
          };
          waiters.push(waiter);
          signal?.addEventListener('abort', onAbort, { once: true });
          pump();
        });
      }
      let released = false;
      return (outcome) => {
        if (released) return;
        released = true;
        release(outcome);
      };
    },
    pauseUntil(time) {
      pausedUntil = Math.max(pausedUntil, time);
    },
    get limit() {
      return allowed();
    },
    get inFlight() {
      return inFlight;
    },
  };
}

import { CircuitOpenError } from '../../errors/index.js';
import type { SchedulerClock } from './clock.js';

/** Options of the circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failed attempts that open the circuit. @default 8 */
  readonly failureThreshold?: number;
  /** First pause; doubles on each new opening. @default 15000 */
  readonly pauseMs?: number;
  /** Longest pause. @default 120000 */
  readonly maxPauseMs?: number;
  /** Openings in a row (no success between) before giving up with a {@link CircuitOpenError}. @default 5 */
  readonly maxOpenings?: number;
}

/** Pauses every request while an endpoint keeps failing, instead of spinning on it. */
export interface CircuitBreaker {
  /** Waits while the circuit is open; throws {@link CircuitOpenError} once it has given up. */
  gate(signal?: AbortSignal): Promise<void>;
  recordSuccess(): void;
  recordFailure(error: unknown): void;
  /** An attempt that says nothing about the endpoint's health (429, bad request, abort) ended. */
  recordNeutral(): void;
  readonly state: 'closed' | 'open' | 'half-open' | 'given-up';
  readonly openings: number;
}

/**
 * Creates a circuit breaker. After `failureThreshold` failures in a row it opens: requests wait
 * `pauseMs` (reported through `onMessage`), then one probe goes through (half-open). A success
 * closes it; a failure opens it again for twice as long. After `maxOpenings` it gives up.
 */
export function createCircuitBreaker(
  options: CircuitBreakerOptions & {
    endpoint: string;
    clock: SchedulerClock;
    onMessage: (message: string) => void;
  },
): CircuitBreaker {
  const threshold = options.failureThreshold ?? 8;
  const maxOpenings = options.maxOpenings ?? 5;
  const { clock } = options;
  let state: CircuitBreaker['state'] = 'closed';
  let failures = 0;
  let openings = 0;
  let openUntil = 0;
  let probe: Promise<void> | undefined;
  let endProbe: (() => void) | undefined;
  let lastError: unknown;

  const giveUpError = () =>
    new CircuitOpenError(
      `${options.endpoint} kept failing through ${maxOpenings} pause${maxOpenings === 1 ? '' : 's'} (last error: ${messageOf(lastError)}); giving up. Check that the server is up and that the base URL, model name and key are right, then resume the run.`,
      { lastError },
    );

  const open = () => {
    openings += 1;
    probe = undefined;
    endProbe?.();
    if (openings > maxOpenings) {
      state = 'given-up';
      return;
    }
    const pause = Math.min(options.maxPauseMs ?? 120_000, (options.pauseMs ?? 15_000) * 2 ** (openings - 1));
    state = 'open';
    openUntil = clock.now() + pause;
    options.onMessage(
      `${options.endpoint} failed ${failures} times in a row (last error: ${messageOf(lastError)}); pausing all requests for ${Math.round(pause / 1000)} s before trying again (pause ${openings} of ${maxOpenings}).`,
    );
  };

  return {
    async gate(signal) {
      for (;;) {
        signal?.throwIfAborted();
        if (state === 'closed') return;
        if (state === 'given-up') throw giveUpError();
        if (state === 'open') {
          const wait = openUntil - clock.now();
          if (wait > 0) {
            await clock.sleep(wait, signal);
            continue;
          }
          state = 'half-open';
        }
        if (!probe) {
          // this caller is the probe; the others wait for its outcome
          probe = new Promise<void>((resolve) => {
            endProbe = resolve;
          });
          return;
        }
        await probe;
      }
    },
    recordSuccess() {
      failures = 0;
      openings = 0;
      if (state !== 'closed') {
        state = 'closed';
        probe = undefined;
        endProbe?.();
      }
    },
    recordFailure(error) {
      lastError = error;
      failures += 1;
      if (state === 'half-open' || (state === 'closed' && failures >= threshold)) open();
    },
    recordNeutral() {
      if (state === 'half-open' && probe) {
        // let the next waiter be the probe
        probe = undefined;
        endProbe?.();
      }
    },
    get state() {
      return state;
    },
    get openings() {
      return openings;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

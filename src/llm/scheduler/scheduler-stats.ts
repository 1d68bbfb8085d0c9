/** Counters of one scheduler. */
export interface SchedulerStats {
  /** Calls to `doGenerate` through the scheduler. */
  readonly requests: number;
  /** Attempts sent to the provider (a split `n` or a retry makes more than one). */
  readonly attempts: number;
  readonly retries: number;
  /** Attempts answered 429. */
  readonly rateLimited: number;
  /** Attempts that failed otherwise with a retryable error (5xx, network, timeout). */
  readonly failures: number;
  readonly timeouts: number;
  /** Current adaptive concurrency limit. */
  readonly concurrencyLimit: number;
  /** Most attempts in flight at once. */
  readonly maxInFlight: number;
  /** Times a circuit breaker opened. */
  readonly circuitOpenings: number;
  /** Times the server's rate-limit headers said a budget was nearly spent, and new requests waited. */
  readonly slowedByHeaders: number;
}

/** Mutable counters behind {@link SchedulerStats}. */
export function createSchedulerStats() {
  let requests = 0;
  let attempts = 0;
  let retries = 0;
  let rateLimited = 0;
  let failures = 0;
  let timeouts = 0;
  let maxInFlight = 0;
  let circuitOpenings = 0;
  let slowedByHeaders = 0;
  return {
    slowedByHeaders: () => {
      slowedByHeaders += 1;
    },
    requested: () => {
      requests += 1;
    },
    attemptStarted: (inFlight: number) => {
      attempts += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
    },
    retried: () => {
      retries += 1;
    },
    rateLimited: () => {
      rateLimited += 1;
    },
    failed: (error: unknown) => {
      failures += 1;
      if ((error as { name?: unknown })?.name === 'RequestTimeoutError') timeouts += 1;
    },
    circuitOpened: () => {
      circuitOpenings += 1;
    },
    snapshot: (concurrencyLimit: number): SchedulerStats => {
      return {
        requests,
        attempts,
        retries,
        rateLimited,
        failures,
        timeouts,
        concurrencyLimit,
        maxInFlight,
        circuitOpenings,
        slowedByHeaders,
      };
    },
  };
}

import { fanOut } from '../fan-out.js';
import type { LlmMiddleware, LlmProvider, LlmRateLimitState, LlmRequest, LlmResult } from '../spec.js';
import { estimateRequestTokens } from '../token-estimate.js';
import { type AdaptiveConcurrencyOptions, createAdaptiveConcurrency } from './adaptive-concurrency.js';
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js';
import { realClock, type SchedulerClock } from './clock.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { isRetryable, type RetryOptions, retryAfterOf, withRetry } from './retry.js';
import { createSchedulerStats, type SchedulerStats } from './scheduler-stats.js';
import { withTimeout } from './timeout.js';

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  readonly concurrency?: AdaptiveConcurrencyOptions;
  readonly rateLimit?: RateLimitOptions;
  readonly retry?: RetryOptions;
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** Per-attempt timeout. @default 120000 */
  readonly timeoutMs?: number;
  /**
   * Longest pause taken on a server's rate-limit headers (a reset further away waits for the 429's
   * `retry-after` instead). @default 60000
   */
  readonly maxHeaderWaitMs?: number;
  /** Where pause messages go. @default a line on stderr */
  readonly onMessage?: (message: string) => void;
  /** Injected time and randomness for tests. */
  readonly clock?: SchedulerClock;
}

/** A scheduler: its middleware and live counters. */
export interface Scheduler {
  readonly middleware: LlmMiddleware;
  stats(): SchedulerStats;
}

/**
 * Creates the scheduler that sits in front of a provider. Per call: `n` is split into calls the
 * provider can serve; each call retries retryable failures (backoff with jitter, `retry-after`
 * honoured); each attempt passes the circuit breaker, the rate limits and an adaptive
 * concurrency slot, then runs under the per-request timeout. One scheduler per endpoint: its
 * limits and breaker are shared by every provider it wraps.
 * @example
 * const scheduler = createScheduler({ concurrency: { max: 32 }, rateLimit: { requestsPerMinute: 500 } });
 * const model = wrapProvider(provider, [scheduler.middleware]);
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const clock = options.clock ?? realClock;
  const onMessage = options.onMessage ?? ((message) => process.stderr.write(`symgen: ${message}\n`));
  const stats = createSchedulerStats();
  const maxHeaderWaitMs = options.maxHeaderWaitMs ?? 60_000;
  const concurrency = createAdaptiveConcurrency(options.concurrency ?? {}, clock);
  const rateLimiter = createRateLimiter(options.rateLimit ?? {}, clock);
  const breakers = new Map<string, ReturnType<typeof createCircuitBreaker>>();
  const breakerFor = (provider: LlmProvider) => {
    const endpoint = provider.cacheScope ?? provider.provider;
    let breaker = breakers.get(endpoint);
    if (!breaker) {
      breaker = createCircuitBreaker({
        ...options.circuitBreaker,
        endpoint,
        clock,
        onMessage: (message) => {
          stats.circuitOpened();
          onMessage(message);
        },
      });
      breakers.set(endpoint, breaker);
    }
    return breaker;
  };

  // the server's rate-limit headers say a budget is nearly spent: start nothing new until it is
  // refilled, instead of running into the 429 (what is in flight already may spend the rest)
  const slowForHeaders = (state: LlmRateLimitState | undefined, estimate: number) => {
    if (!state) return;
    const waits: number[] = [];
    if (state.remainingRequests !== undefined && state.remainingRequests <= concurrency.inFlight) {
      waits.push(state.resetRequestsMs ?? 1000);
    }
    if (
      state.remainingTokens !== undefined &&
      state.remainingTokens < estimate * (concurrency.inFlight + 1)
    ) {
      waits.push(state.resetTokensMs ?? 1000);
    }
    if (waits.length === 0) return;
    const wait = Math.min(Math.max(...waits), maxHeaderWaitMs);
    stats.slowedByHeaders();
    concurrency.pauseUntil(clock.now() + wait);
  };

  const attempt = async (
    provider: LlmProvider,
    request: LlmRequest,
    signal?: AbortSignal,
    onAttempt?: () => void,
  ): Promise<LlmResult> => {
    const breaker = breakerFor(provider);
    await breaker.gate(signal);
    const { promptTokens, completionTokens } = estimateRequestTokens(request);
    const estimate = promptTokens + completionTokens;
    await rateLimiter.acquire(estimate, signal);
    const release = await concurrency.acquire(signal);
    stats.attemptStarted(concurrency.inFlight);
    const started = clock.now();
    try {
      const result = await withTimeout(
        (attemptSignal) =>
          provider.doGenerate(request, { signal: attemptSignal, ...(onAttempt ? { onAttempt } : {}) }),
        options.timeoutMs ?? 120_000,
        signal,
      );
      release({ kind: 'success', latencyMs: latencySignal(clock.now() - started, result) });
      breaker.recordSuccess();
      rateLimiter.settle(estimate, result.usage.promptTokens + result.usage.completionTokens);
      slowForHeaders(result.rateLimit, estimate);
      return result;
    } catch (error) {
      const statusCode = (error as { statusCode?: unknown })?.statusCode;
      if (statusCode === 429) {
        stats.rateLimited();
        release({ kind: 'rate-limited' });
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined) concurrency.pauseUntil(clock.now() + retryAfter);
        breaker.recordNeutral();
      } else if (signal?.aborted || !isRetryable(error)) {
        release({ kind: 'failure' });
        breaker.recordNeutral();
      } else {
        stats.failed(error);
        release({ kind: 'failure' });
        breaker.recordFailure(error);
      }
      throw error;
    }
  };

  const middleware: LlmMiddleware = (provider) => ({
    ...provider,
    async doGenerate(request, callOptions = {}) {
      const { signal } = callOptions;
      stats.requested();
      return fanOut(
        request,
        provider.maxSamplesPerCall,
        async (part) => {
          // every attempt sent is a request a server's rate limit counts, failed ones included
          let failedAttempts = 0;
          const result = await withRetry(
            () =>
              attempt(provider, part, signal, callOptions.onAttempt).catch((error: unknown) => {
                failedAttempts += 1;
                throw error;
              }),
            { ...options.retry, clock, signal, onRetry: () => stats.retried() },
          );
          return { ...result, httpRequests: (result.httpRequests ?? 1) + failedAttempts };
        },
        callOptions,
        provider.shouldWarmPromptCache?.(request) ?? false,
      );
    },
  });

  return { middleware, stats: () => stats.snapshot(concurrency.limit) };
}

/**
 * The latency the concurrency limit compares: per completion token of a sample when the server
 * counts tokens, so a stage with longer outputs (gen_a after gen_q) is not read as a queue building
 * up; the plain latency when it does not.
 */
function latencySignal(latencyMs: number, result: LlmResult): number {
  const perSample = result.usage.completionTokens / Math.max(1, result.samples.length);
  return perSample >= 1 ? latencyMs / perSample : latencyMs;
}

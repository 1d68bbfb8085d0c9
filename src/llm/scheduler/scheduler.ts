import { fanOut } from '../fan-out.js';
import type { LlmMiddleware, LlmProvider, LlmRequest, LlmResult } from '../spec.js';
import { type AdaptiveConcurrencyOptions, createAdaptiveConcurrency } from './adaptive-concurrency.js';
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js';
import { realClock, type SchedulerClock } from './clock.js';
import { createRateLimiter, estimateTokens, type RateLimitOptions } from './rate-limiter.js';
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

  const attempt = async (
    provider: LlmProvider,
    request: LlmRequest,
    signal?: AbortSignal,
    onAttempt?: () => void,
  ): Promise<LlmResult> => {
    const breaker = breakerFor(provider);
    await breaker.gate(signal);
    const promptCharacters = request.messages.reduce((sum, message) => sum + message.content.length, 0);
    const estimate = estimateTokens(promptCharacters, request.maxTokens, request.n ?? 1);
    await rateLimiter.acquire(estimate, signal);
    const release = await concurrency.acquire(signal);
    stats.attemptStarted(concurrency.inFlight);
    onAttempt?.();
    const started = clock.now();
    try {
      const result = await withTimeout(
        (attemptSignal) => provider.doGenerate(request, { signal: attemptSignal }),
        options.timeoutMs ?? 120_000,
        signal,
      );
      release({ kind: 'success', latencyMs: clock.now() - started });
      breaker.recordSuccess();
      rateLimiter.settle(estimate, result.usage.promptTokens + result.usage.completionTokens);
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
        (part) =>
          withRetry(() => attempt(provider, part, signal, callOptions.onAttempt), {
            ...options.retry,
            clock,
            signal,
            onRetry: () => stats.retried(),
          }),
        callOptions,
        provider.shouldWarmPromptCache?.(request) ?? false,
      );
    },
  });

  return { middleware, stats: () => stats.snapshot(concurrency.limit) };
}

import { CircuitOpenError, RetryError } from '../../errors/index.js';
import type { SchedulerClock } from './clock.js';

/** Options of the retry loop. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 5 */
  readonly maxRetries?: number;
  /** First backoff delay; doubles each retry. @default 1000 */
  readonly initialDelayMs?: number;
  /** @default 30000 */
  readonly maxDelayMs?: number;
  /** Longest `retry-after` honoured; longer requests are cut to this. @default 60000 */
  readonly maxRetryAfterMs?: number;
}

/** What the retry loop reads from an error: fields, never the message. */
interface RetryableFields {
  readonly isRetryable?: unknown;
  readonly retryAfterMs?: unknown;
}

/** True when the error says it is worth another attempt. */
export function isRetryable(error: unknown): boolean {
  return (error as RetryableFields | null)?.isRetryable === true;
}

/** The server's requested wait, when the error carries one. */
export function retryAfterOf(error: unknown): number | undefined {
  const value = (error as RetryableFields | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The delay before retry number `attempt` (0-based): the server's `retry-after` when given (with up
 * to 10% jitter so clients do not return in lockstep), else exponential backoff with equal jitter.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  options: RetryOptions,
  random: () => number,
): number {
  const retryAfter = retryAfterOf(error);
  if (retryAfter !== undefined) {
    const bounded = Math.min(retryAfter, options.maxRetryAfterMs ?? 60_000);
    return bounded + random() * Math.min(1000, bounded * 0.1);
  }
  const base = Math.min(options.maxDelayMs ?? 30_000, (options.initialDelayMs ?? 1000) * 2 ** attempt);
  return base / 2 + random() * (base / 2);
}

/**
 * Runs `attempt` until it succeeds, retrying retryable failures with backoff. A non-retryable error
 * on the first attempt is rethrown as is; later, or when retries run out, a {@link RetryError}
 * carries every attempt's error. An abort stops at once with the signal's reason.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions & {
    clock: SchedulerClock;
    signal?: AbortSignal;
    onRetry?: (error: unknown, delayMs: number) => void;
  },
): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const errors: unknown[] = [];
  for (let attemptNumber = 0; ; attemptNumber++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      errors.push(error);
      if (!isRetryable(error)) {
        // a breaker that gave up speaks for the whole endpoint: pass it on unwrapped
        if (errors.length === 1 || error instanceof CircuitOpenError) throw error;
        throw new RetryError(
          `Failed after ${errors.length} attempts with a non-retryable error: ${messageOf(error)}`,
          {
            reason: 'error-not-retryable',
            errors,
          },
        );
      }
      if (attemptNumber >= maxRetries) {
        throw new RetryError(`Failed after ${errors.length} attempts. Last error: ${messageOf(error)}`, {
          reason: 'max-retries-exceeded',
          errors,
        });
      }
      const delay = retryDelay(error, attemptNumber, options, options.clock.random);
      options.onRetry?.(error, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

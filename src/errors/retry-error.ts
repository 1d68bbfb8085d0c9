import { SymgenError } from './symgen-error.js';

/** Why the scheduler stopped retrying. */
export type RetryErrorReason = 'max-retries-exceeded' | 'error-not-retryable';

/**
 * A request failed for good after the scheduler's retries. `errors` holds every attempt's error in
 * order; `lastError` is the one that ended it.
 */
export class RetryError extends SymgenError {
  override readonly name = 'RetryError';
  readonly reason: RetryErrorReason;
  readonly errors: readonly unknown[];
  readonly lastError: unknown;
  /** Copied from the last error so callers can branch on it without unwrapping. */
  readonly isRetryable = false;

  constructor(message: string, options: { reason: RetryErrorReason; errors: readonly unknown[] }) {
    const lastError = options.errors[options.errors.length - 1];
    super(message, { cause: lastError });
    this.reason = options.reason;
    this.errors = options.errors;
    this.lastError = lastError;
  }
}

import { SymgenError } from './symgen-error.js';

/**
 * The scheduler's circuit breaker gave up on an endpoint that kept failing after several pauses.
 * The message names the endpoint, how often it failed and the last failure.
 */
export class CircuitOpenError extends SymgenError {
  override readonly name = 'CircuitOpenError';
  readonly isRetryable = false;
  /** The error that tripped the breaker the last time. */
  readonly lastError: unknown;

  constructor(message: string, options: { lastError: unknown }) {
    super(message, { cause: options.lastError });
    this.lastError = options.lastError;
  }
}

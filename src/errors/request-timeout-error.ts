import { SymgenError } from './symgen-error.js';

/** One request to a model took longer than the scheduler's per-request timeout. Retryable. */
export class RequestTimeoutError extends SymgenError {
  override readonly name = 'RequestTimeoutError';
  readonly isRetryable = true;
  readonly timeoutMs: number;

  constructor(message: string, options: { timeoutMs: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.timeoutMs = options.timeoutMs;
  }
}

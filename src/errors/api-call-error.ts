import { SymgenError } from './symgen-error.js';

/**
 * A call to a model API failed: an HTTP error status, a network failure, or a body that could not
 * be read. `isRetryable` decides whether the scheduler tries again; it defaults from the status code
 * (408, 409, 429 and 5xx are retryable; so is a network failure, which has no status code).
 */
export class ApiCallError extends SymgenError {
  override readonly name = 'ApiCallError';
  readonly url: string;
  /** HTTP status, or undefined when no response came back (network failure). */
  readonly statusCode: number | undefined;
  /** The raw response body, when there was one. */
  readonly responseBody: string | undefined;
  readonly isRetryable: boolean;
  /** How long the server asked us to wait (from `retry-after-ms` or `retry-after`), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: {
      url: string;
      statusCode?: number;
      responseBody?: string;
      isRetryable?: boolean;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.url = options.url;
    this.statusCode = options.statusCode;
    this.responseBody = options.responseBody;
    this.retryAfterMs = options.retryAfterMs;
    this.isRetryable = options.isRetryable ?? isRetryableStatus(options.statusCode);
  }
}

/** 408, 409, 429 and 5xx are worth retrying; no status at all means the network failed. */
function isRetryableStatus(statusCode: number | undefined): boolean {
  return (
    statusCode === undefined ||
    statusCode === 408 ||
    statusCode === 409 ||
    statusCode === 429 ||
    statusCode >= 500
  );
}

import { z } from 'zod';
import { ApiCallError } from '../errors/index.js';

/** A `fetch` function; injectable so tests and special transports can replace it. */
export type FetchFunction = typeof globalThis.fetch;

/** A parsed JSON response and the headers it came with. */
export interface JsonResponse<T> {
  readonly value: T;
  readonly headers: Headers;
}

const errorBodySchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ message: z.string().nullish(), type: z.string().nullish() })]),
});

/**
 * Sends a JSON request and parses the JSON answer with `schema` (leniently: remote APIs add fields).
 * Non-2xx answers, network failures and unreadable bodies become an {@link ApiCallError} whose
 * `isRetryable` and `retryAfterMs` the scheduler reads.
 */
export async function requestJson<T>(options: {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  signal?: AbortSignal;
  fetch?: FetchFunction;
  /** Called just before the request is sent (to count requests even if the answer never comes). */
  onSend?: () => void;
}): Promise<JsonResponse<T>> {
  const { url } = options;
  const fetchFunction = options.fetch ?? globalThis.fetch;
  let response: Response;
  options.onSend?.();
  try {
    response = await fetchFunction(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw new ApiCallError(`Cannot reach ${url}: ${describeCause(error)}`, { url, cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    // a body cut off mid-transfer (a reset, a proxy giving up) is as transient as a reset before it
    throw new ApiCallError(`Connection to ${url} broke while reading the answer: ${describeCause(error)}`, {
      url,
      statusCode: response.status,
      isRetryable: true,
      cause: error,
    });
  }
  if (!response.ok) {
    throw new ApiCallError(
      `${url} answered ${response.status} ${response.statusText}: ${errorMessage(text)}`.trim(),
      {
        url,
        statusCode: response.status,
        responseBody: text,
        retryAfterMs: parseRetryAfter(response.headers),
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiCallError(`${url} answered ${response.status} with a body that is not JSON: ${clip(text)}`, {
      url,
      statusCode: response.status,
      responseBody: text,
      // a truncated or garbled body is usually a transient proxy or server hiccup
      isRetryable: true,
      cause: error,
    });
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiCallError(
      `${url} answered with JSON of an unexpected shape: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
      { url, statusCode: response.status, responseBody: text, isRetryable: true },
    );
  }
  return { value: parsed.data, headers: response.headers };
}

/**
 * Reads how long a server asks us to wait: `retry-after-ms` (milliseconds, set by OpenAI) wins over
 * `retry-after` (seconds or an HTTP date) because it is more precise.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

function errorMessage(text: string): string {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const error = parsed.data.error;
      return typeof error === 'string' ? error : (error.message ?? error.type ?? clip(text));
    }
  } catch {
    // not JSON: show the raw text below
  }
  return clip(text);
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

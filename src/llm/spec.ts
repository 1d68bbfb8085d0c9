/**
 * The provider contract: types only, no runtime code. A provider is a plain object; the scheduler
 * and cache are middleware that take one and return another of the same shape.
 */

/** One chat message. */
export interface LlmMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What to generate. Everything here can change the answer, so all of it goes into the cache key. */
export interface LlmRequest {
  /** The conversation. A completions endpoint receives the contents joined into one prompt. */
  readonly messages: readonly LlmMessage[];
  /** How many samples to return. @default 1 */
  readonly n?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxTokens?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
  /** Ask for token log-probabilities; providers that cannot give them leave them out. */
  readonly logprobs?: boolean;
  /**
   * Index of the first sample. Asking again for more samples of the same prompt with a higher
   * offset gives new samples (and new cache entries) instead of the ones already drawn.
   * @default 0
   */
  readonly sampleOffset?: number;
  /** Extra body fields per provider name, e.g. `{ 'openai-compatible': { top_k: 40 } }`. */
  readonly providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Why a sample stopped. */
export type LlmFinishReason = 'stop' | 'length' | 'content-filter' | 'error' | 'other';

/** One generated sample. */
export interface LlmSample {
  /** Position of the sample (sampleOffset + i). */
  readonly index: number;
  readonly text: string;
  readonly finishReason: LlmFinishReason;
  /** Log-probability of each generated token, when the server gave them. */
  readonly tokenLogprobs?: readonly number[];
}

/**
 * Tokens one request used. `promptTokens` counts every prompt token; `cachedTokens` is the part the
 * server read from its prompt cache, `cacheWriteTokens` and `cacheWrite1hTokens` the parts it wrote to
 * it (Anthropic prices writes apart: a 5-minute write at 1.25x input, a 1-hour write at 2x).
 */
export interface LlmUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  /** Prompt tokens written to a 5-minute prompt cache. @default 0 */
  readonly cacheWriteTokens?: number;
  /** Prompt tokens written to a 1-hour prompt cache. @default 0 */
  readonly cacheWrite1hTokens?: number;
}

/**
 * What a server's rate-limit headers said after a request (OpenAI's `x-ratelimit-*`, Anthropic's
 * `anthropic-ratelimit-*`): how much of each budget is left and in how long it is refilled.
 */
export interface LlmRateLimitState {
  readonly remainingRequests?: number;
  readonly remainingTokens?: number;
  /** Milliseconds until the request budget is refilled. */
  readonly resetRequestsMs?: number;
  /** Milliseconds until the token budget is refilled. */
  readonly resetTokensMs?: number;
}

/** What one `doGenerate` call returns. */
export interface LlmResult {
  readonly samples: readonly LlmSample[];
  readonly usage: LlmUsage;
  /** The model the server says answered (may differ from the requested id, e.g. a dated version). */
  readonly responseModelId?: string;
  /** Filled by the usage middleware from the price table, in US dollars. */
  readonly costUsd?: number;
  /** How many of the samples came from the response cache. */
  readonly cachedSamples?: number;
  /**
   * HTTP requests this result took, failed attempts and top-ups included: what a server's rate
   * limit counts. Absent when the answer came wholly from the response cache.
   */
  readonly httpRequests?: number;
  /** The rate-limit headers of the last response, when the server sent them. */
  readonly rateLimit?: LlmRateLimitState;
}

/** Per-call options that are not part of the request (and so not part of the cache key). */
export interface LlmCallOptions {
  readonly signal?: AbortSignal;
  /**
   * Called as each HTTP request is sent to the model (retries, split calls and top-ups included), so
   * a caller can count what was sent even if it is killed before the answer. Providers without HTTP
   * (llama.cpp in process) never call it.
   */
  readonly onAttempt?: () => void;
}

/** A model behind one interface. */
export interface LlmProvider {
  /** Provider family and API, e.g. `openai-compatible.chat`, `anthropic.messages`, `llama-cpp`. */
  readonly provider: string;
  readonly modelId: string;
  /**
   * Everything outside the request that changes the answer (base URL, model file), mixed into the
   * cache key.
   */
  readonly cacheScope?: string;
  /** Most samples one call produces natively; the scheduler splits larger `n` into several calls. */
  readonly maxSamplesPerCall: number;
  /**
   * When true for a request that gets split into several calls, the first call runs alone so the
   * others can read the prompt from the provider's prompt cache.
   */
  readonly shouldWarmPromptCache?: (request: LlmRequest) => boolean;
  /**
   * Generates samples. The `do` prefix says: let the scheduler call this, since calling it directly
   * skips concurrency control, retries and the cache.
   */
  doGenerate(request: LlmRequest, options?: LlmCallOptions): Promise<LlmResult>;
}

/** Middleware: wraps a provider and returns the same interface. */
export type LlmMiddleware = (provider: LlmProvider) => LlmProvider;

import { ConfigError } from '../../errors/index.js';
import { fanOut } from '../fan-out.js';
import { type FetchFunction, requestJson } from '../http.js';
import { parseRateLimitHeaders } from '../rate-limit-headers.js';
import type { LlmFinishReason, LlmProvider, LlmRequest, LlmResult } from '../spec.js';
import { type MessagesResponse, messagesResponseSchema } from './anthropic-schemas.js';

/** Options of the Anthropic Messages API provider. */
export interface AnthropicOptions {
  readonly model: string;
  /** @default env ANTHROPIC_BASE_URL, else https://api.anthropic.com */
  readonly baseURL?: string;
  /** @default env ANTHROPIC_API_KEY */
  readonly apiKey?: string;
  /** Sent when a request sets no `maxTokens` (the API requires one). @default 1024 */
  readonly defaultMaxTokens?: number;
  /**
   * `auto` marks long prompts with `cache_control` so repeated samples and questions sharing a
   * system prompt read it from Anthropic's prompt cache. @default 'auto'
   */
  readonly promptCaching?: 'auto' | 'off';
  /** Prompt length (characters) from which caching is used; shorter prompts cannot be cached. @default 4096 */
  readonly minCacheCharacters?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: FetchFunction;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Creates a provider for Anthropic's Messages API. The API has no `n`, so several samples are
 * parallel requests (the scheduler splits them; called directly, the provider does). With
 * prompt caching on, the first of them runs alone so the others read the cached prompt.
 * @example
 * const claude = createAnthropic({ model: 'claude-haiku-4-5' });
 */
export function createAnthropic(options: AnthropicOptions): LlmProvider {
  const env = options.env ?? process.env;
  const baseURL = (options.baseURL ?? env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com').replace(
    /\/+$/,
    '',
  );
  const apiKey = options.apiKey ?? env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    throw new ConfigError('anthropic', [
      {
        path: 'apiKey',
        message:
          "API key is missing. Pass it using the 'apiKey' option or the ANTHROPIC_API_KEY environment variable",
      },
    ]);
  }
  const headers = { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01', ...options.headers };
  const minCache = options.minCacheCharacters ?? 4096;
  const caching = options.promptCaching ?? 'auto';
  const promptLength = (request: LlmRequest) =>
    request.messages.reduce((sum, message) => sum + message.content.length, 0);
  const shouldWarmPromptCache = (request: LlmRequest) =>
    caching === 'auto' && (request.n ?? 1) > 1 && promptLength(request) >= minCache;

  const callOnce = async (
    request: LlmRequest,
    signal: AbortSignal | undefined,
    onSend?: () => void,
  ): Promise<LlmResult> => {
    const { value, headers: responseHeaders } = await requestJson({
      url: `${baseURL}/v1/messages`,
      headers,
      body: toBody(request, options.model, options.defaultMaxTokens ?? 1024, caching === 'auto', minCache),
      schema: messagesResponseSchema,
      signal,
      fetch: options.fetch,
      ...(onSend ? { onSend } : {}),
    });
    const rateLimit = parseRateLimitHeaders(responseHeaders);
    return {
      ...fromResponse(value, request.sampleOffset ?? 0),
      httpRequests: 1,
      ...(rateLimit ? { rateLimit } : {}),
    };
  };

  return {
    provider: 'anthropic.messages',
    modelId: options.model,
    cacheScope: baseURL,
    maxSamplesPerCall: 1,
    shouldWarmPromptCache,
    doGenerate(request, callOptions = {}) {
      return fanOut(
        request,
        1,
        (part) => callOnce(part, callOptions.signal, callOptions.onAttempt),
        callOptions,
        shouldWarmPromptCache(request),
      );
    },
  };
}

function toBody(
  request: LlmRequest,
  model: string,
  defaultMaxTokens: number,
  caching: boolean,
  minCache: number,
) {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content);
  const turns = request.messages.filter((message) => message.role !== 'system');
  const systemText = system.join('\n\n');
  const cacheControl = { type: 'ephemeral' } as const;
  // breakpoints: the system prompt (shared by every question of a run) and the whole prompt
  // (shared by the samples of one question); each only when long enough to be cached
  const cacheSystem = caching && systemText.length >= minCache;
  const totalLength = request.messages.reduce((sum, message) => sum + message.content.length, 0);
  const cacheLast = caching && totalLength >= minCache;
  return {
    model,
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    ...(system.length > 0
      ? {
          system: [
            { type: 'text', text: systemText, ...(cacheSystem ? { cache_control: cacheControl } : {}) },
          ],
        }
      : {}),
    messages: turns.map((message, position) => ({
      role: message.role,
      content: [
        {
          type: 'text',
          text: message.content,
          ...(cacheLast && position === turns.length - 1 ? { cache_control: cacheControl } : {}),
        },
      ],
    })),
    temperature: request.temperature,
    top_p: request.topP,
    stop_sequences: request.stop && request.stop.length > 0 ? request.stop : undefined,
    ...request.providerOptions?.anthropic,
  };
}

function fromResponse(response: MessagesResponse, index: number): LlmResult {
  const text = response.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
  const usage = response.usage;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const written = usage?.cache_creation_input_tokens ?? 0;
  // the split by lifetime, when the API gives it; else every write is a 5-minute one (the default TTL)
  const written1h = Math.min(written, usage?.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  return {
    samples: [{ index, text, finishReason: mapStopReason(response.stop_reason) }],
    usage: {
      // Anthropic's input_tokens excludes the tokens read from or written to the cache
      promptTokens: (usage?.input_tokens ?? 0) + cacheRead + written,
      completionTokens: usage?.output_tokens ?? 0,
      cachedTokens: cacheRead,
      cacheWriteTokens: written - written1h,
      cacheWrite1hTokens: written1h,
    },
    responseModelId: response.model ?? undefined,
  };
}

function mapStopReason(reason: string | null | undefined): LlmFinishReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  if (reason === 'max_tokens') return 'length';
  if (reason === 'refusal') return 'content-filter';
  return 'other';
}

import { ApiCallError } from '../../errors/index.js';
import { mergeResults, sampleSeed } from '../fan-out.js';
import { requestJson } from '../http.js';
import { parseRateLimitHeaders } from '../rate-limit-headers.js';
import type {
  LlmCallOptions,
  LlmFinishReason,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmSample,
} from '../spec.js';
import {
  type ChatResponse,
  type CompletionResponse,
  chatResponseSchema,
  completionResponseSchema,
} from './openai-compatible-schemas.js';
import {
  type OpenAICompatibleOptions,
  type ResolvedOpenAICompatibleOptions,
  resolveOpenAICompatibleOptions,
} from './openai-compatible-settings.js';
import { refusedN, serverSlots } from './samples-per-request.js';

/**
 * Creates a provider for any server speaking the OpenAI API: OpenAI itself, vLLM, Ollama, the
 * llama.cpp server, LM Studio. Sends `n` samples in one request; when a server returns fewer
 * choices than asked (some ignore `n`), the rest are requested separately.
 * @example
 * const model = createOpenAICompatible({ baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:0.5b' });
 */
export function createOpenAICompatible(options: OpenAICompatibleOptions): LlmProvider {
  const settings = resolveOpenAICompatibleOptions(options);
  const notice = options.onNotice ?? ((message: string) => process.stderr.write(`symgen: ${message}\n`));
  // samples one request may ask for, lowered when the server refuses `n` (llama.cpp)
  let perRequest = settings.maxSamplesPerCall;
  const lower = async (error: unknown, asked: number, signal: AbortSignal | undefined): Promise<boolean> => {
    const refusal = refusedN(error);
    if (refusal === undefined || asked <= 1) return false;
    const before = perRequest;
    if (refusal === 'one-choice') {
      perRequest = 1;
      if (before > 1) {
        notice(
          `${settings.baseURL} accepts one sample per request (it answered "Only one completion choice is allowed"); asking for each sample apart, with distinct seeds`,
        );
      }
    } else {
      const slots = await serverSlots(settings, signal);
      perRequest = Math.max(1, Math.min(perRequest, asked - 1, slots ?? Math.floor(asked / 2)));
      if (perRequest < before) {
        notice(
          `${settings.baseURL} accepts at most ${perRequest} samples per request (${slots === undefined ? 'it refused more' : `${slots} parallel slots`}); splitting larger requests (start llama-server with a larger -np for fewer requests)`,
        );
      }
    }
    return true;
  };
  const generate = async (request: LlmRequest, callOptions: LlmCallOptions): Promise<LlmResult> => {
    const n = request.n ?? 1;
    const offset = request.sampleOffset ?? 0;
    if (n > perRequest) {
      const parts: Promise<LlmResult>[] = [];
      const size = perRequest;
      for (let start = 0; start < n; start += size) {
        const part = { ...request, n: Math.min(size, n - start), sampleOffset: offset + start };
        parts.push(generate(part, callOptions));
      }
      return mergeResults(await Promise.all(parts));
    }
    let first: LlmResult;
    try {
      first = await callOnce(settings, request, callOptions);
    } catch (error) {
      // a refused `n` is a property of the server, not a transient failure: split and ask again
      if (await lower(error, n, callOptions.signal)) {
        const retried = await generate(request, callOptions);
        return { ...retried, httpRequests: (retried.httpRequests ?? 0) + 1 };
      }
      throw error;
    }
    if (first.samples.length >= n) return first;
    // the server ignored `n`: ask for the rest in requests of the size it does honour
    const perCall = first.samples.length;
    const rest: Promise<LlmResult>[] = [];
    for (let start = perCall; start < n; start += perCall) {
      const part = { ...request, n: Math.min(perCall, n - start), sampleOffset: offset + start };
      rest.push(callOnce(settings, part, callOptions));
    }
    return mergeResults([first, ...(await Promise.all(rest))]);
  };
  return {
    provider: `openai-compatible.${settings.api}`,
    modelId: settings.model,
    cacheScope: settings.baseURL,
    get maxSamplesPerCall() {
      return perRequest;
    },
    doGenerate: (request, callOptions = {}) => generate(request, callOptions),
  };
}

async function callOnce(
  settings: ResolvedOpenAICompatibleOptions,
  request: LlmRequest,
  callOptions: LlmCallOptions,
): Promise<LlmResult> {
  const offset = request.sampleOffset ?? 0;
  const common = {
    model: settings.model,
    ...(request.n !== undefined && request.n !== 1 ? { n: request.n } : {}),
    temperature: request.temperature,
    top_p: request.topP,
    max_tokens: request.maxTokens,
    stop: request.stop && request.stop.length > 0 ? request.stop : undefined,
    seed: sampleSeed(request.seed, offset),
    ...request.providerOptions?.['openai-compatible'],
  };
  if (settings.api === 'chat') {
    const { value, headers } = await requestJson({
      url: `${settings.baseURL}/chat/completions`,
      headers: settings.headers,
      body: { ...common, messages: request.messages, ...(request.logprobs ? { logprobs: true } : {}) },
      schema: chatResponseSchema,
      signal: callOptions.signal,
      fetch: settings.fetch,
      ...(callOptions.onAttempt ? { onSend: callOptions.onAttempt } : {}),
    });
    return nonEmpty(withHeaders(fromChat(value, offset), headers), settings.baseURL, 'chat/completions');
  }
  const { value, headers } = await requestJson({
    url: `${settings.baseURL}/completions`,
    headers: settings.headers,
    body: { ...common, prompt: toPrompt(request), ...(request.logprobs ? { logprobs: 1 } : {}) },
    schema: completionResponseSchema,
    signal: callOptions.signal,
    fetch: settings.fetch,
    ...(callOptions.onAttempt ? { onSend: callOptions.onAttempt } : {}),
  });
  return nonEmpty(withHeaders(fromCompletion(value, offset), headers), settings.baseURL, 'completions');
}

/** One HTTP request, and what its rate-limit headers said. */
function withHeaders(result: LlmResult, headers: Headers): LlmResult {
  const rateLimit = parseRateLimitHeaders(headers);
  return { ...result, httpRequests: 1, ...(rateLimit ? { rateLimit } : {}) };
}

/**
 * A 200 with no choices carries no answer: it is a retryable failure, never an answer with zero
 * samples (which would be voted on and cached as if the model had said nothing).
 */
function nonEmpty(result: LlmResult, baseURL: string, path: string): LlmResult {
  if (result.samples.length > 0) return result;
  throw new ApiCallError(`${baseURL}/${path} answered 200 with no choices`, {
    url: `${baseURL}/${path}`,
    statusCode: 200,
    isRetryable: true,
  });
}

/** The prompt a completions endpoint receives: message contents joined by blank lines. */
function toPrompt(request: LlmRequest): string {
  return request.messages.map((message) => message.content).join('\n\n');
}

function fromChat(response: ChatResponse, offset: number): LlmResult {
  const choices = [...response.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const samples = choices.map((choice, position): LlmSample => {
    const logprobs = choice.logprobs?.content?.map((token) => token.logprob);
    return {
      index: offset + position,
      text: choice.message.content ?? '',
      finishReason: mapFinishReason(choice.finish_reason),
      ...(logprobs ? { tokenLogprobs: logprobs } : {}),
    };
  });
  return { samples, usage: mapUsage(response), responseModelId: response.model ?? undefined };
}

function fromCompletion(response: CompletionResponse, offset: number): LlmResult {
  const choices = [...response.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const samples = choices.map((choice, position): LlmSample => {
    // the first token of an echoed prompt has a null log-probability; generated ones never do
    const logprobs = choice.logprobs?.token_logprobs?.filter((value): value is number => value !== null);
    return {
      index: offset + position,
      text: choice.text ?? '',
      finishReason: mapFinishReason(choice.finish_reason),
      ...(logprobs ? { tokenLogprobs: logprobs } : {}),
    };
  });
  return { samples, usage: mapUsage(response), responseModelId: response.model ?? undefined };
}

function mapUsage(response: ChatResponse | CompletionResponse) {
  return {
    promptTokens: response.usage?.prompt_tokens ?? 0,
    completionTokens: response.usage?.completion_tokens ?? 0,
    cachedTokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

function mapFinishReason(reason: string | null | undefined): LlmFinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

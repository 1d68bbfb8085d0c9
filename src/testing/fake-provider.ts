import type { LlmCallOptions, LlmProvider, LlmRequest, LlmResult, LlmSample } from '../llm/spec.js';

/** One recorded call of a {@link FakeProvider}. */
export interface FakeProviderCall {
  readonly request: LlmRequest;
  readonly options: LlmCallOptions;
}

/** A provider with canned answers that records its calls. */
export interface FakeProvider extends LlmProvider {
  readonly calls: FakeProviderCall[];
}

/** What a fake answers: fixed texts, a function of the request, or an error to throw. */
export type FakeResponse =
  | readonly string[]
  | ((request: LlmRequest, call: number) => LlmResult | readonly string[]);

/**
 * Creates a fake provider implementing the real interface. With a list of texts it answers
 * sample `i` with `texts[i % texts.length]`; with a function it answers whatever the function
 * returns (throw from it to simulate failures). Usage is 10 prompt tokens and 1 per sample.
 * @example
 * const model = createFakeProvider({ responses: ['SELECT 1', 'SELECT 2'] });
 * await model.doGenerate({ messages: [{ role: 'user', content: 'q' }], n: 2 });
 */
export function createFakeProvider(
  options: { responses?: FakeResponse; modelId?: string; maxSamplesPerCall?: number; logprob?: number } = {},
): FakeProvider {
  const calls: FakeProviderCall[] = [];
  const responses = options.responses ?? ['fake answer'];
  return {
    provider: 'fake',
    modelId: options.modelId ?? 'fake-model',
    maxSamplesPerCall: options.maxSamplesPerCall ?? 128,
    calls,
    async doGenerate(request, callOptions = {}) {
      calls.push({ request, options: callOptions });
      callOptions.signal?.throwIfAborted();
      const n = request.n ?? 1;
      const offset = request.sampleOffset ?? 0;
      const answer = typeof responses === 'function' ? responses(request, calls.length - 1) : responses;
      if (!Array.isArray(answer)) return answer as LlmResult;
      const texts = answer as readonly string[];
      const samples = Array.from({ length: n }, (_, position): LlmSample => {
        const index = offset + position;
        return {
          index,
          text: texts[index % texts.length] ?? '',
          finishReason: 'stop',
          ...(options.logprob !== undefined ? { tokenLogprobs: [options.logprob] } : {}),
        };
      });
      return { samples, usage: { promptTokens: 10, completionTokens: n, cachedTokens: 0 } };
    },
  };
}

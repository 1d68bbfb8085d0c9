/**
 * The providers against loopback servers answering in the formats real servers use, each reply
 * shaped after that project's own source:
 * - OpenAI chat completions: openai/openai-python `src/openai/types/chat/chat_completion.py`
 *   (commit e8205fd58f0d677f476c577a8d9afb90f5710506): `choices[].finish_reason` is one of "stop",
 *   "length", "tool_calls", "content_filter", "function_call"; rate-limit headers
 *   `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests` (durations such as "1s", "6m0s").
 * - llama.cpp's server: ggml-org/llama.cpp `tools/server/server-common.cpp` (commit
 *   aa6192d38defc9a5d9fb2987413f71b18f214270; older builds `examples/server/utils.hpp`): builds
 *   before `n` was supported throw "Only one completion choice is allowed", answered as
 *   `{"error":{"code":500,"message":...,"type":"server_error"}}`; `tools/server/server-task.cpp`
 *   (commit 17f5f8a80d8ac9c18c23ecb2321640daeec77096) throws "n_cmpl cannot be greater than the number
 *   of slots, please increase -np" (400, `invalid_request_error`); `GET /props` answers `total_slots`.
 * - Anthropic Messages: anthropics/anthropic-sdk-python `src/anthropic/types/usage.py` (commit
 *   6af3037aa93b8de90ae01fd05ce2bd0fe2713414): `usage.cache_creation_input_tokens`,
 *   `usage.cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`,
 *   `cache_read_input_tokens`; `stop_reason: "max_tokens"`; headers `anthropic-ratelimit-*`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLlmTestServer,
  createVirtualClock,
  type LlmTestServer,
  type RecordedRequest,
  type TestServerReply,
} from '../testing/index.js';
import { createAnthropic } from './anthropic/index.js';
import { checkEndpoint } from './check-endpoint.js';
import { createLlm } from './create-llm.js';
import { createOpenAICompatible } from './openai-compatible/index.js';
import { duration, parseRateLimitHeaders } from './rate-limit-headers.js';
import { createAdaptiveConcurrency } from './scheduler/adaptive-concurrency.js';
import { createScheduler } from './scheduler/index.js';
import type { LlmRequest } from './spec.js';
import { computeCost, defaultPrices, findPrice } from './usage/prices.js';
import { wrapProvider } from './wrap-provider.js';

const quiet = () => {};
const ask = (n: number, seed = 11): LlmRequest => ({
  messages: [{ role: 'user', content: 'Write the query.' }],
  n,
  seed,
  maxTokens: 16,
});

/** A llama.cpp `/v1/chat/completions` answer (one choice per request, `timings` and all). */
function llamaCppChat(texts: readonly string[], finish = 'stop') {
  return {
    choices: texts.map((text, index) => ({
      finish_reason: finish,
      index,
      message: { role: 'assistant', content: text },
    })),
    created: 1_733_000_000,
    model: 'qwen2.5-coder-0.5b-instruct-q8_0.gguf',
    system_fingerprint: 'b4600-1a2b3c4d',
    object: 'chat.completion',
    usage: { completion_tokens: 8 * texts.length, prompt_tokens: 20, total_tokens: 20 + 8 * texts.length },
    id: 'chatcmpl-abc123',
    timings: { prompt_n: 20, prompt_ms: 4.2, predicted_n: 8, predicted_ms: 30.1 },
  };
}

const bodyOf = (request: RecordedRequest) => request.body as { n?: number; seed?: number };
const chatRequests = (server: LlmTestServer) =>
  server.requests.filter((request) => request.path === '/v1/chat/completions');

describe('servers as they answer', () => {
  let server: LlmTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('llama.cpp before n: falls back to one sample per request with distinct seeds, says so once, no breaker pause', async () => {
    server = await createLlmTestServer({
      respond: (request) => {
        const n = bodyOf(request).n ?? 1;
        if (n !== 1) {
          return {
            status: 500,
            body: {
              error: { code: 500, message: 'Only one completion choice is allowed', type: 'server_error' },
            },
          };
        }
        return { body: llamaCppChat([`SELECT ${bodyOf(request).seed}`]) };
      },
    });
    const notices: string[] = [];
    const messages: string[] = [];
    const provider = createOpenAICompatible({
      baseURL: server.baseURL,
      model: 'local',
      onNotice: (line) => notices.push(line),
    });
    const scheduler = createScheduler({ onMessage: (line) => messages.push(line) });
    const model = wrapProvider(provider, [scheduler.middleware]);
    const first = await model.doGenerate(ask(5));
    const second = await model.doGenerate(ask(3, 100));
    expect(first.samples.map((sample) => sample.text)).toEqual(
      [11, 12, 13, 14, 15].map((s) => `SELECT ${s}`),
    );
    expect(first.samples.map((sample) => sample.index)).toEqual([0, 1, 2, 3, 4]);
    expect(second.samples).toHaveLength(3);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/one sample per request/);
    // the refused request plus five single ones; later requests split at once
    expect(first.httpRequests).toBe(6);
    expect(second.httpRequests).toBe(3);
    expect(chatRequests(server)).toHaveLength(9);
    expect(provider.maxSamplesPerCall).toBe(1);
    expect(messages).toEqual([]);
    expect(scheduler.stats()).toMatchObject({ circuitOpenings: 0, failures: 0 });
  });

  it('llama.cpp with fewer slots than n: splits into requests of at most its slots, read from /props', async () => {
    const slots = 4;
    server = await createLlmTestServer({
      respond: (request) => {
        if (request.path === '/props') {
          return {
            body: { total_slots: slots, model_path: '/models/m.gguf', default_generation_settings: {} },
          };
        }
        const n = bodyOf(request).n ?? 1;
        if (n > slots) {
          return {
            status: 400,
            body: {
              error: {
                code: 400,
                message: 'n_cmpl cannot be greater than the number of slots, please increase -np',
                type: 'invalid_request_error',
              },
            },
          };
        }
        return { body: llamaCppChat(Array.from({ length: n }, (_, index) => `sample ${index}`)) };
      },
    });
    const notices: string[] = [];
    const llm = createLlm(
      { provider: { kind: 'openai-compatible', model: 'local', baseURL: server.baseURL } },
      { onMessage: quiet },
    );
    // the provider's notices go to stderr by default; this one is built by hand to read them
    const provider = createOpenAICompatible({
      baseURL: server.baseURL,
      model: 'local',
      onNotice: (line) => notices.push(line),
    });
    const model = wrapProvider(provider, [createScheduler({ onMessage: quiet }).middleware]);
    const result = await model.doGenerate(ask(20));
    expect(result.samples).toHaveLength(20);
    expect(new Set(result.samples.map((sample) => sample.index)).size).toBe(20);
    expect(provider.maxSamplesPerCall).toBe(slots);
    expect(notices).toEqual([expect.stringMatching(/at most 4 samples per request \(4 parallel slots\)/)]);
    const sizes = chatRequests(server).map((request) => bodyOf(request).n ?? 1);
    expect(sizes[0]).toBe(20);
    expect(sizes.slice(1)).toEqual([4, 4, 4, 4, 4]);
    expect(result.httpRequests).toBe(6);
    // createLlm's model meets the same server: it learns the same, with no error
    expect((await llm.model.doGenerate(ask(9))).samples).toHaveLength(9);
  });

  it('symgen models check reports the samples one request may ask for', async () => {
    server = await createLlmTestServer({
      respond: (request) => {
        if (request.path === '/props') return { body: { total_slots: 3 } };
        const n = bodyOf(request).n ?? 1;
        return { body: llamaCppChat(Array.from({ length: n }, () => 'OK')) };
      },
    });
    const report = await checkEndpoint({
      kind: 'openai-compatible',
      baseURL: server.baseURL,
      model: 'local',
    });
    expect(report).toMatchObject({ answers: true, nInOneRequest: true, samplesPerRequest: 3 });
    await server.close();
    server = await createLlmTestServer({
      respond: (request) =>
        (bodyOf(request).n ?? 1) === 1
          ? { body: llamaCppChat(['OK']) }
          : {
              status: 500,
              body: {
                error: { code: 500, message: 'Only one completion choice is allowed', type: 'server_error' },
              },
            },
    });
    const old = await checkEndpoint({ kind: 'openai-compatible', baseURL: server.baseURL, model: 'local' });
    expect(old).toMatchObject({ answers: true, nInOneRequest: false, samplesPerRequest: 1 });
  });

  it('prices Anthropic cache writes apart: 5-minute at 1.25x input, 1-hour at 2x', async () => {
    server = await createLlmTestServer({
      respond: () => ({
        body: {
          id: 'msg_01',
          type: 'message',
          role: 'assistant',
          model: 'claude-haiku-4-5-20251001',
          content: [{ type: 'text', text: 'SELECT 1' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: 100,
            cache_creation_input_tokens: 3000,
            cache_read_input_tokens: 500,
            cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 1000 },
            output_tokens: 50,
            service_tier: 'standard',
          },
        },
      }),
    });
    const llm = createLlm(
      { provider: { kind: 'anthropic', model: 'claude-haiku-4-5', baseURL: server.url } },
      { onMessage: quiet, env: { ANTHROPIC_API_KEY: 'test' } },
    );
    const result = await llm.model.doGenerate(ask(1));
    expect(result.usage).toMatchObject({
      promptTokens: 3600,
      cachedTokens: 500,
      cacheWriteTokens: 2000,
      cacheWrite1hTokens: 1000,
    });
    // $1/M input, $0.10/M cache reads, $1.25/M 5-minute writes, $2/M 1-hour writes, $5/M output
    const expected = (100 * 1 + 500 * 0.1 + 2000 * 1.25 + 1000 * 2 + 50 * 5) / 1e6;
    expect(result.costUsd).toBeCloseTo(expected, 12);
    const asPlainInput = (3100 * 1 + 500 * 0.1 + 50 * 5) / 1e6;
    expect(expected / asPlainInput).toBeGreaterThan(1.4);
    expect(llm.usage.totals().requests).toBe(1);
  });

  it('a price without cache-write rates prices writes as input', () => {
    const price = { inputPerMillion: 2, outputPerMillion: 4 };
    expect(
      computeCost(price, { promptTokens: 10, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 10 }),
    ).toBe(20 / 1e6);
    expect(findPrice(defaultPrices, 'claude-sonnet-4-20250514')).toMatchObject({
      cacheWritePerMillion: 3.75,
      cacheWrite1hPerMillion: 6,
    });
  });

  it('counts HTTP requests, not calls: Ollama top-ups and Anthropic samples', async () => {
    server = await createLlmTestServer({ supportsN: false });
    const ollama = createLlm(
      { provider: { kind: 'openai-compatible', model: 'qwen2.5:0.5b', baseURL: server.baseURL } },
      { onMessage: quiet },
    );
    await ollama.model.doGenerate(ask(5));
    await ollama.model.doGenerate(ask(3, 50));
    expect(ollama.usage.totals().requests).toBe(chatRequests(server).length);
    expect(ollama.usage.totals().requests).toBe(8);
    const anthropic = createLlm(
      { provider: { kind: 'anthropic', model: 'claude-haiku-4-5', baseURL: server.url } },
      { onMessage: quiet, env: { ANTHROPIC_API_KEY: 'k' } },
    );
    await anthropic.model.doGenerate(ask(4));
    expect(anthropic.usage.totals().requests).toBe(
      server.requests.filter((request) => request.path === '/v1/messages').length,
    );
    expect(anthropic.usage.totals().requests).toBe(4);
  });

  it('reads finish reasons: OpenAI "length" and Anthropic "max_tokens" are cut samples', async () => {
    server = await createLlmTestServer({
      respond: (request) =>
        request.path === '/v1/messages'
          ? {
              body: {
                type: 'message',
                role: 'assistant',
                model: 'claude-haiku-4-5',
                content: [{ type: 'text', text: 'SELECT city.city_name FROM city WHERE city.population' }],
                stop_reason: 'max_tokens',
                usage: { input_tokens: 10, output_tokens: 16 },
              },
            }
          : {
              body: {
                id: 'chatcmpl-1',
                object: 'chat.completion',
                created: 1,
                model: 'gpt-4o-mini-2024-07-18',
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: 'SELECT city.city_name FROM', refusal: null },
                    finish_reason: 'length',
                    logprobs: null,
                  },
                ],
                usage: { prompt_tokens: 10, completion_tokens: 16, total_tokens: 26 },
              },
            },
    });
    const openai = createOpenAICompatible({ baseURL: server.baseURL, model: 'gpt-4o-mini' });
    const anthropic = createAnthropic({ baseURL: server.url, model: 'claude-haiku-4-5', apiKey: 'k' });
    expect((await openai.doGenerate(ask(1))).samples[0]!.finishReason).toBe('length');
    expect((await anthropic.doGenerate(ask(1))).samples[0]!.finishReason).toBe('length');
  });

  it('slows down on OpenAI rate-limit headers before the 429, not after', async () => {
    const budget = 5;
    const windowMs = 250;
    let windowStart = Date.now();
    let used = 0;
    let tooMany = 0;
    server = await createLlmTestServer({
      respond: (): TestServerReply => {
        const now = Date.now();
        if (now - windowStart >= windowMs) {
          windowStart = now;
          used = 0;
        }
        used += 1;
        const resetMs = Math.max(1, windowMs - (now - windowStart));
        if (used > budget) {
          tooMany += 1;
          return {
            status: 429,
            headers: { 'retry-after-ms': String(resetMs) },
            body: {
              error: {
                message: 'Rate limit reached for requests',
                type: 'requests',
                code: 'rate_limit_exceeded',
              },
            },
          };
        }
        return {
          delayMs: 20,
          headers: {
            'x-ratelimit-limit-requests': String(budget),
            'x-ratelimit-remaining-requests': String(budget - used),
            'x-ratelimit-reset-requests': `${resetMs}ms`,
            'x-ratelimit-limit-tokens': '1000000',
            'x-ratelimit-remaining-tokens': '999000',
            'x-ratelimit-reset-tokens': '6m0s',
          },
          body: llamaCppChat(['SELECT 1']),
        };
      },
    });
    const scheduler = createScheduler({ onMessage: quiet, concurrency: { initial: 4, max: 4 } });
    const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'gpt-4o-mini' }), [
      scheduler.middleware,
    ]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => model.doGenerate(ask(1, index))),
    );
    expect(results.every((result) => result.samples.length === 1)).toBe(true);
    expect(tooMany).toBe(0);
    expect(scheduler.stats().slowedByHeaders).toBeGreaterThan(0);
    expect(scheduler.stats().rateLimited).toBe(0);
  });
});

describe('rate-limit headers', () => {
  it('reads OpenAI durations and Anthropic reset times; the tightest Anthropic token budget wins', () => {
    expect(duration('1s')).toBe(1000);
    expect(duration('6m0s')).toBe(360_000);
    expect(duration('1h2m3.5s')).toBe(3_723_500);
    expect(duration('20ms')).toBe(20);
    expect(duration('soon')).toBeUndefined();
    const now = Date.parse('2026-12-01T10:00:00Z');
    const anthropic = new Headers({
      'anthropic-ratelimit-requests-remaining': '7',
      'anthropic-ratelimit-requests-reset': '2026-12-01T10:00:05Z',
      'anthropic-ratelimit-input-tokens-remaining': '4000',
      'anthropic-ratelimit-input-tokens-reset': '2026-12-01T10:00:02Z',
      'anthropic-ratelimit-output-tokens-remaining': '900',
      'anthropic-ratelimit-output-tokens-reset': '2026-12-01T10:00:01Z',
    });
    expect(parseRateLimitHeaders(anthropic, now)).toEqual({
      remainingRequests: 7,
      remainingTokens: 900,
      resetRequestsMs: 5000,
      resetTokensMs: 1000,
    });
    expect(parseRateLimitHeaders(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
  });
});

describe('adaptive concurrency on latency alone (a saturated vLLM sends no 429)', () => {
  it('holds concurrency near what the server serves without queueing, instead of drifting back up', async () => {
    // a saturated server: 8 requests at a time in 100 ms; more wait in its queue, so latency grows
    // with the number in flight, and it never answers 429
    const capacity = 8;
    const clock = createVirtualClock({ start: 0 });
    const concurrency = createAdaptiveConcurrency({ initial: 4, max: 64, latencyTolerance: 3 }, clock);
    const limits: number[] = [];
    for (let round = 0; round < 120; round++) {
      const releases = await Promise.all(
        Array.from({ length: concurrency.limit }, () => concurrency.acquire()),
      );
      const latencyMs = 100 * Math.max(1, releases.length / capacity);
      await clock.sleep(latencyMs);
      for (const release of releases) release({ kind: 'success', latencyMs });
      limits.push(concurrency.limit);
    }
    // it rose past the capacity, then latency alone brought it down and keeps it near the point
    // where the queue triples the latency (tolerance 3), instead of drifting back to the maximum
    expect(Math.max(...limits.slice(0, 20))).toBeGreaterThan(3 * capacity);
    const settled = limits.slice(60);
    expect(Math.max(...settled)).toBeLessThanOrEqual(3 * capacity + 8);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(capacity);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, CircuitOpenError, RequestTimeoutError, RetryError } from '../../errors/index.js';
import {
  createFakeProvider,
  createLlmTestServer,
  createVirtualClock,
  type LlmTestServer,
} from '../../testing/index.js';
import { createOpenAICompatible } from '../openai-compatible/index.js';
import type { LlmRequest } from '../spec.js';
import { wrapProvider } from '../wrap-provider.js';
import { createScheduler } from './scheduler.js';

const request: LlmRequest = { messages: [{ role: 'user', content: 'q' }] };
const quiet = () => {};

describe('createScheduler against the test server', () => {
  let server: LlmTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries a 429 after the retry-after the server asked for, then succeeds', async () => {
    server = await createLlmTestServer();
    server.enqueue({
      status: 429,
      headers: { 'retry-after-ms': '30' },
      body: { error: { message: 'slow down' } },
    });
    const scheduler = createScheduler({ onMessage: quiet });
    const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
      scheduler.middleware,
    ]);
    const started = Date.now();
    const result = await model.doGenerate(request);
    expect(Date.now() - started).toBeGreaterThanOrEqual(29);
    expect(result.samples).toHaveLength(1);
    expect(scheduler.stats()).toMatchObject({ requests: 1, attempts: 2, retries: 1, rateLimited: 1 });
  });

  it('retries 500s and malformed bodies, but not a 400', async () => {
    server = await createLlmTestServer();
    server.enqueue({ status: 500, body: 'boom' }, { status: 200, body: 'not json' });
    const scheduler = createScheduler({ retry: { initialDelayMs: 1 }, onMessage: quiet });
    const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
      scheduler.middleware,
    ]);
    await expect(model.doGenerate(request)).resolves.toMatchObject({ samples: [{ index: 0 }] });
    server.enqueue({ status: 400, body: { error: { message: 'bad' } } });
    await expect(model.doGenerate(request)).rejects.toMatchObject({ statusCode: 400 });
    expect(scheduler.stats()).toMatchObject({ attempts: 4, retries: 2, failures: 2 });
  });

  it('times out a request that hangs, and retries it', async () => {
    server = await createLlmTestServer();
    server.enqueue({ hang: true });
    const scheduler = createScheduler({ timeoutMs: 500, retry: { initialDelayMs: 1 }, onMessage: quiet });
    const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
      scheduler.middleware,
    ]);
    await expect(model.doGenerate(request)).resolves.toMatchObject({ samples: [{ index: 0 }] });
    expect(scheduler.stats()).toMatchObject({ timeouts: 1, retries: 1 });
  });

  it('gives up with a RetryError holding every attempt once retries run out', async () => {
    server = await createLlmTestServer();
    server.enqueue(...Array.from({ length: 3 }, () => ({ status: 503, body: 'down' })));
    const scheduler = createScheduler({ retry: { maxRetries: 2, initialDelayMs: 1 }, onMessage: quiet });
    const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
      scheduler.middleware,
    ]);
    const error = (await model.doGenerate(request).catch((caught: unknown) => caught)) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.reason).toBe('max-retries-exceeded');
    expect(error.errors).toHaveLength(3);
    expect((error.lastError as ApiCallError).statusCode).toBe(503);
  });

  it('keeps in-flight requests under the cap and adapts to a server that answers 429 above it', async () => {
    server = await createLlmTestServer({ latencyMs: 20, concurrencyCap: 6 });
    const scheduler = createScheduler({ concurrency: { initial: 2, max: 32 }, onMessage: quiet });
    const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
      scheduler.middleware,
    ]);
    const results = await Promise.all(Array.from({ length: 120 }, () => model.doGenerate(request)));
    expect(results.every((result) => result.samples.length === 1)).toBe(true);
    const stats = scheduler.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.concurrencyLimit).toBeLessThan(32);
    expect(stats.maxInFlight).toBeLessThanOrEqual(32);
  });
});

describe('createScheduler with a virtual clock', () => {
  it('splits n into calls the provider can serve, with their sample offsets', async () => {
    const provider = createFakeProvider({ responses: ['a', 'b', 'c'], maxSamplesPerCall: 2 });
    const scheduler = createScheduler({ clock: createVirtualClock(), onMessage: quiet });
    const result = await wrapProvider(provider, [scheduler.middleware]).doGenerate({ ...request, n: 5 });
    expect(provider.calls.map((call) => [call.request.n, call.request.sampleOffset])).toEqual([
      [2, 0],
      [2, 2],
      [1, 4],
    ]);
    expect(result.samples.map((sample) => sample.text)).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('backs off exponentially with jitter between retries', async () => {
    const clock = createVirtualClock({ random: () => 1 });
    const provider = createFakeProvider({
      responses: (_request, call) => {
        if (call < 3) throw new ApiCallError('down', { url: 'x', statusCode: 502 });
        return ['ok'];
      },
    });
    const scheduler = createScheduler({ clock, retry: { initialDelayMs: 100 }, onMessage: quiet });
    await wrapProvider(provider, [scheduler.middleware]).doGenerate(request);
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  it('does not retry an error whose isRetryable is false, whatever its message says', async () => {
    const provider = createFakeProvider({
      responses: () => {
        throw new ApiCallError('503 temporarily unavailable, please retry', {
          url: 'x',
          statusCode: 503,
          isRetryable: false,
        });
      },
    });
    const scheduler = createScheduler({ clock: createVirtualClock(), onMessage: quiet });
    await expect(wrapProvider(provider, [scheduler.middleware]).doGenerate(request)).rejects.toBeInstanceOf(
      ApiCallError,
    );
    expect(provider.calls).toHaveLength(1);
  });

  it('opens the circuit after repeated failures, pauses with a message, and gives up in the end', async () => {
    const clock = createVirtualClock();
    const messages: string[] = [];
    const provider = createFakeProvider({
      responses: () => {
        throw new ApiCallError('http://h/v1 answered 502 Bad Gateway', { url: 'x', statusCode: 502 });
      },
    });
    const scheduler = createScheduler({
      clock,
      retry: { maxRetries: 100, initialDelayMs: 10, maxDelayMs: 10 },
      circuitBreaker: { failureThreshold: 3, pauseMs: 1000, maxOpenings: 2 },
      onMessage: (message) => messages.push(message),
    });
    const error = await wrapProvider(provider, [scheduler.middleware])
      .doGenerate(request)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"fake kept failing through 2 pauses (last error: http://h/v1 answered 502 Bad Gateway); giving up. Check that the server is up and that the base URL, model name and key are right, then resume the run."`,
    );
    expect(messages[0]).toMatchInlineSnapshot(
      `"fake failed 3 times in a row (last error: http://h/v1 answered 502 Bad Gateway); pausing all requests for 1 s before trying again (pause 1 of 2)."`,
    );
    // 3 failures, then one probe after each of the 2 pauses: no spinning while open
    expect(provider.calls).toHaveLength(5);
    // paused 1 s, then 2 s
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
    expect(scheduler.stats().circuitOpenings).toBe(2);
  });

  it('closes the circuit again when the probe succeeds', async () => {
    const clock = createVirtualClock();
    const provider = createFakeProvider({
      responses: (_request, call) => {
        if (call < 3) throw new ApiCallError('down', { url: 'x', statusCode: 500 });
        return ['back'];
      },
    });
    const scheduler = createScheduler({
      clock,
      retry: { initialDelayMs: 1 },
      circuitBreaker: { failureThreshold: 3, pauseMs: 500 },
      onMessage: quiet,
    });
    const result = await wrapProvider(provider, [scheduler.middleware]).doGenerate(request);
    expect(result.samples[0]!.text).toBe('back');
    expect(clock.now()).toBeGreaterThanOrEqual(500);
  });

  it('spaces requests to the request rate limit', async () => {
    const clock = createVirtualClock();
    const provider = createFakeProvider();
    // 60 per minute: a burst of 10, then one a second
    const scheduler = createScheduler({ clock, rateLimit: { requestsPerMinute: 60 }, onMessage: quiet });
    const model = wrapProvider(provider, [scheduler.middleware]);
    await Promise.all(Array.from({ length: 15 }, () => model.doGenerate(request)));
    expect(clock.now()).toBeGreaterThanOrEqual(5000);
    expect(clock.now()).toBeLessThan(6000);
  });

  it('spaces requests to the token rate limit using maxTokens as the estimate', async () => {
    const clock = createVirtualClock();
    const provider = createFakeProvider({
      responses: () => ({ samples: [], usage: { promptTokens: 50, completionTokens: 50, cachedTokens: 0 } }),
    });
    // 6000 tokens a minute = 100 a second, bucket of 1000; each request ~100 tokens
    const scheduler = createScheduler({ clock, rateLimit: { tokensPerMinute: 6000 }, onMessage: quiet });
    const model = wrapProvider(provider, [scheduler.middleware]);
    await Promise.all(Array.from({ length: 20 }, () => model.doGenerate({ ...request, maxTokens: 100 })));
    expect(clock.now()).toBeGreaterThanOrEqual(9000);
  });

  it('aborts a request waiting for a retry', async () => {
    const controller = new AbortController();
    const provider = createFakeProvider({
      responses: () => {
        controller.abort(new Error('user stopped'));
        throw new ApiCallError('down', { url: 'x', statusCode: 500 });
      },
    });
    const scheduler = createScheduler({ clock: createVirtualClock(), onMessage: quiet });
    const pending = wrapProvider(provider, [scheduler.middleware]).doGenerate(request, {
      signal: controller.signal,
    });
    await expect(pending).rejects.toThrow('user stopped');
    expect(provider.calls).toHaveLength(1);
  });

  it('aborts a request waiting for a concurrency slot', async () => {
    const provider = createFakeProvider();
    const stuck = { ...provider, doGenerate: () => new Promise<never>(() => {}) };
    const scheduler = createScheduler({
      concurrency: { initial: 1, max: 1 },
      timeoutMs: 60_000,
      onMessage: quiet,
    });
    const model = wrapProvider(stuck, [scheduler.middleware]);
    const first = new AbortController();
    const second = new AbortController();
    const holding = model.doGenerate(request, { signal: first.signal }).catch((error: unknown) => error);
    const waiting = model.doGenerate(request, { signal: second.signal });
    second.abort(new Error('second stopped'));
    await expect(waiting).rejects.toThrow('second stopped');
    first.abort(new Error('first stopped'));
    expect(await holding).toMatchObject({ message: 'first stopped' });
  });

  it('reports a timeout as RequestTimeoutError when retries are off', async () => {
    const provider = createFakeProvider({
      responses: () => ({ samples: [], usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0 } }),
    });
    const slow = { ...provider, doGenerate: () => new Promise<never>(() => {}) };
    const scheduler = createScheduler({ timeoutMs: 20, retry: { maxRetries: 0 }, onMessage: quiet });
    const error = await wrapProvider(slow, [scheduler.middleware])
      .doGenerate(request)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryError);
    expect((error as RetryError).lastError).toBeInstanceOf(RequestTimeoutError);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiCallError, ConfigError } from '../../errors/index.js';
import { createLlmTestServer, type LlmTestServer } from '../../testing/index.js';
import { listOpenAICompatibleModels } from './list-models.js';
import { createOpenAICompatible } from './openai-compatible-provider.js';

const messages = [
  { role: 'system', content: 'You write SQL.' },
  { role: 'user', content: 'How many singers?' },
] as const;

describe('createOpenAICompatible', () => {
  let server: LlmTestServer;
  beforeEach(async () => {
    server = await createLlmTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends n and the sampling parameters in one chat request and reads samples, logprobs and usage', async () => {
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm1', apiKey: 'sk-test' });
    const result = await model.doGenerate({
      messages,
      n: 3,
      temperature: 0.8,
      topP: 0.95,
      maxTokens: 64,
      stop: [';'],
      seed: 7,
      logprobs: true,
    });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toEqual({
      model: 'm1',
      n: 3,
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 64,
      stop: [';'],
      seed: 7,
      messages,
      logprobs: true,
    });
    expect(result.samples.map((sample) => sample.text)).toEqual([
      'sample 0 of 1',
      'sample 1 of 1',
      'sample 2 of 1',
    ]);
    expect(result.samples.map((sample) => sample.index)).toEqual([0, 1, 2]);
    expect(result.samples[0]!.tokenLogprobs).toEqual([-0.1, -0.2, expect.closeTo(-0.3), -0.4]);
    expect(result.usage).toEqual({ promptTokens: 10, completionTokens: 12, cachedTokens: 2 });
    expect(result.responseModelId).toBe('m1');
  });

  it('uses the legacy completions endpoint with the messages joined into a prompt', async () => {
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm1', api: 'completions' });
    const result = await model.doGenerate({ messages, n: 2, logprobs: true });
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/completions');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toMatchObject({ prompt: 'You write SQL.\n\nHow many singers?', n: 2, logprobs: 1 });
    expect(result.samples).toHaveLength(2);
    expect(result.samples[1]!.tokenLogprobs).toEqual([-0.1, -0.2, -0.3, -0.4]);
    expect(model.provider).toBe('openai-compatible.completions');
  });

  it('tops up with extra requests when the server ignores n, as Ollama and llama.cpp do', async () => {
    await server.close();
    server = await createLlmTestServer({ supportsN: false });
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm1' });
    const result = await model.doGenerate({ messages, n: 3, seed: 10 });
    expect(result.samples.map((sample) => sample.index)).toEqual([0, 1, 2]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((request) => (request.body as { seed: number }).seed).sort()).toEqual([
      10, 11, 12,
    ]);
    expect(result.usage.promptTokens).toBe(30);
  });

  it('leaves logprobs out when the server does not return them', async () => {
    await server.close();
    server = await createLlmTestServer({ logprobs: false });
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm1' });
    const result = await model.doGenerate({ messages, logprobs: true });
    expect(result.samples[0]!.tokenLogprobs).toBeUndefined();
  });

  it('turns HTTP errors into ApiCallError with status, body, retryability and retry-after', async () => {
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm1' });
    server.enqueue(
      { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'Rate limit reached' } } },
      { status: 400, body: { error: { message: 'bad stop' } } },
      { status: 500, body: 'oops' },
      { status: 200, body: '{"choices": [' },
      { status: 200, body: { choices: 'nope' } },
    );
    const errors = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      errors.push(await model.doGenerate({ messages }).catch((error: unknown) => error));
    }
    for (const error of errors) expect(error).toBeInstanceOf(ApiCallError);
    const [rateLimited, badRequest, serverError, truncated, wrongShape] = errors as ApiCallError[];
    expect(rateLimited).toMatchObject({ statusCode: 429, isRetryable: true, retryAfterMs: 2000 });
    expect(rateLimited!.message).toContain('Rate limit reached');
    expect(badRequest).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(badRequest!.responseBody).toContain('bad stop');
    expect(serverError).toMatchObject({ statusCode: 500, isRetryable: true, responseBody: 'oops' });
    expect(truncated).toMatchObject({ statusCode: 200, isRetryable: true });
    expect(truncated!.message).toContain('not JSON');
    expect(wrongShape!.message).toContain('unexpected shape');
  });

  it('reports a server that is not there as a retryable ApiCallError without status', async () => {
    const url = server.baseURL;
    await server.close();
    server = await createLlmTestServer();
    const model = createOpenAICompatible({ baseURL: url, model: 'm1' });
    const error = (await model.doGenerate({ messages }).catch((caught: unknown) => caught)) as ApiCallError;
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error.statusCode).toBeUndefined();
    expect(error.isRetryable).toBe(true);
  });

  it('passes the abort signal to the request', async () => {
    server.enqueue({ hang: true });
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm1' });
    const controller = new AbortController();
    const pending = model.doGenerate({ messages }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop now')), 20);
    await expect(pending).rejects.toThrow('stop now');
  });

  it('reads base URL and key from the environment, and explains a missing key', async () => {
    const model = createOpenAICompatible({
      model: 'm1',
      env: { OPENAI_BASE_URL: `${server.baseURL}/`, OPENAI_API_KEY: 'sk-env' },
    });
    await model.doGenerate({ messages });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-env');
    expect(() => createOpenAICompatible({ model: 'gpt-4o-mini', env: {} })).toThrow(ConfigError);
    expect(() =>
      createOpenAICompatible({ model: 'gpt-4o-mini', env: {} }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: openai-compatible: apiKey: API key is missing. Pass it using the 'apiKey' option or the OPENAI_API_KEY environment variable, or point 'baseURL' (OPENAI_BASE_URL) at a local server]`,
    );
  });

  it('lists the models a server offers', async () => {
    expect(await listOpenAICompatibleModels({ baseURL: server.baseURL })).toEqual(['test-model']);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiCallError, ConfigError } from '../../errors/index.js';
import { createLlmTestServer, type LlmTestServer } from '../../testing/index.js';
import { createScheduler } from '../scheduler/index.js';
import { wrapProvider } from '../wrap-provider.js';
import { createAnthropic } from './anthropic-provider.js';

describe('createAnthropic', () => {
  let server: LlmTestServer;
  beforeEach(async () => {
    server = await createLlmTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends a Messages API request with the system prompt apart and reads text and usage', async () => {
    const model = createAnthropic({ baseURL: server.url, model: 'claude-x', apiKey: 'k' });
    const result = await model.doGenerate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.5,
      stop: ['\n'],
    });
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe('k');
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.body).toEqual({
      model: 'claude-x',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      temperature: 0.5,
      stop_sequences: ['\n'],
    });
    expect(result.samples).toEqual([{ index: 0, text: 'sample 0 of 1', finishReason: 'stop' }]);
    expect(result.usage).toEqual({
      promptTokens: 10,
      completionTokens: 4,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
    });
  });

  it('draws several samples as parallel requests', async () => {
    const model = createAnthropic({ baseURL: server.url, model: 'claude-x', apiKey: 'k' });
    const result = await model.doGenerate({ messages: [{ role: 'user', content: 'Hi' }], n: 4 });
    expect(result.samples.map((sample) => sample.index)).toEqual([0, 1, 2, 3]);
    expect(server.requests).toHaveLength(4);
  });

  it('marks long prompts for prompt caching and warms the cache with the first sample', async () => {
    const scheduler = createScheduler({ onMessage: () => {} });
    const model = wrapProvider(createAnthropic({ baseURL: server.url, model: 'claude-x', apiKey: 'k' }), [
      scheduler.middleware,
    ]);
    const schema = 'CREATE TABLE t (a INT);\n'.repeat(300);
    server.enqueue({
      delayMs: 30,
      body: {
        model: 'claude-x',
        content: [{ type: 'text', text: 'first' }],
        stop_reason: 'max_tokens',
        usage: {
          input_tokens: 5,
          output_tokens: 2,
          cache_creation_input_tokens: 2000,
          cache_read_input_tokens: 0,
        },
      },
    });
    const result = await model.doGenerate({
      messages: [
        { role: 'system', content: schema },
        { role: 'user', content: 'question' },
      ],
      n: 3,
    });
    const body = server.requests[0]!.body as { system: unknown[]; messages: { content: unknown[] }[] };
    expect(body.system[0]).toMatchObject({ cache_control: { type: 'ephemeral' } });
    expect(body.messages[0]!.content[0]).toMatchObject({ cache_control: { type: 'ephemeral' } });
    // the first (slow) answer came back before the others were sent
    expect(result.samples.map((sample) => sample.text)).toEqual(['first', 'sample 0 of 1', 'sample 0 of 2']);
    expect(result.samples[0]!.finishReason).toBe('length');
    expect(result.usage.promptTokens).toBe(2005 + 20);
  });

  it('reports overload and rate limits as retryable errors and needs a key', async () => {
    server.enqueue({
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    const model = createAnthropic({ baseURL: server.url, model: 'claude-x', apiKey: 'k' });
    const error = (await model
      .doGenerate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught: unknown) => caught)) as ApiCallError;
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ statusCode: 529, isRetryable: true });
    expect(error.message).toContain('Overloaded');
    expect(() => createAnthropic({ model: 'claude-x', env: {} })).toThrow(ConfigError);
  });
});

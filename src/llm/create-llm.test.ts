import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { createLlmTestServer, type LlmTestServer } from '../testing/index.js';
import { openSqliteResponseCache } from './cache/index.js';
import { createLlm } from './create-llm.js';

describe('createLlm', () => {
  let server: LlmTestServer;
  beforeEach(async () => {
    server = await createLlmTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('builds cache, usage and scheduler around the configured provider', async () => {
    const cache = openSqliteResponseCache({ path: ':memory:' });
    const llm = createLlm(
      {
        provider: { kind: 'openai-compatible', model: 'gpt-4o-mini', baseURL: server.baseURL },
        scheduler: { maxConcurrency: 4 },
      },
      { cache, env: {} },
    );
    const request = { messages: [{ role: 'user' as const, content: 'q' }], n: 2 };
    const first = await llm.model.doGenerate(request);
    const second = await llm.model.doGenerate(request);
    expect(second.samples).toEqual(first.samples);
    expect(first.costUsd).toBeCloseTo((8 * 0.15 + 2 * 0.075 + 8 * 0.6) / 1e6);
    expect(server.requests).toHaveLength(1);
    expect(cache.stats()).toEqual({ hits: 2, misses: 2 });
    expect(llm.usage.totals().requests).toBe(1);
    expect(llm.scheduler.stats().attempts).toBe(1);
  });

  it('lists every problem of a bad config', () => {
    const error = (() => {
      try {
        createLlm({ provider: { kind: 'openai-compatible', modle: 'x' }, scheduler: { maxConcurrency: 0 } });
      } catch (caught) {
        return caught;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['provider.model', 'provider', 'scheduler.maxConcurrency']),
    );
  });
});

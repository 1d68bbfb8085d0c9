import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../testing/index.js';
import type { LlmRequest } from '../spec.js';
import { wrapProvider } from '../wrap-provider.js';
import { sampleCacheKey } from './cache-key.js';
import { createCacheMiddleware } from './cache-middleware.js';
import { openSqliteResponseCache } from './sqlite-response-cache.js';

const request: LlmRequest = { messages: [{ role: 'user', content: 'q' }], temperature: 0.8, n: 3 };

describe('createCacheMiddleware', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  const tempFile = () => {
    const directory = mkdtempSync(join(tmpdir(), 'symgen-cache-'));
    directories.push(directory);
    return join(directory, 'run.sqlite');
  };

  it('answers a repeated request from the cache, across processes reopening the file', async () => {
    const path = tempFile();
    const provider = createFakeProvider({
      responses: (_request, call) => [`a${call}`, `b${call}`, `c${call}`],
    });
    const first = openSqliteResponseCache({ path });
    const firstResult = await wrapProvider(provider, [createCacheMiddleware(first)]).doGenerate(request);
    first.close();
    const second = openSqliteResponseCache({ path });
    const secondResult = await wrapProvider(provider, [createCacheMiddleware(second)]).doGenerate(request);
    expect(provider.calls).toHaveLength(1);
    expect(secondResult.samples).toEqual(firstResult.samples);
    expect(secondResult.cachedSamples).toBe(3);
    expect(secondResult.usage.promptTokens).toBe(0);
    expect(second.stats()).toEqual({ hits: 3, misses: 0 });
    second.close();
  });

  it('asks only for the missing samples when more are requested later', async () => {
    const cache = openSqliteResponseCache({ path: ':memory:' });
    const provider = createFakeProvider({ responses: ['x', 'y', 'z', 'w', 'v'] });
    const model = wrapProvider(provider, [createCacheMiddleware(cache)]);
    await model.doGenerate(request);
    const result = await model.doGenerate({ ...request, n: 5 });
    expect(provider.calls.map((call) => [call.request.n, call.request.sampleOffset])).toEqual([
      [3, 0],
      [2, 3],
    ]);
    expect(result.samples.map((sample) => [sample.index, sample.text])).toEqual([
      [0, 'x'],
      [1, 'y'],
      [2, 'z'],
      [3, 'w'],
      [4, 'v'],
    ]);
    expect(result.cachedSamples).toBe(3);
    expect(cache.stats()).toEqual({ hits: 3, misses: 5 });
  });

  it('keys on everything that changes the answer, and not on call options', () => {
    const provider = createFakeProvider();
    const base = sampleCacheKey(provider, request, 0);
    expect(sampleCacheKey(provider, { ...request, n: 7 }, 0)).toBe(base);
    expect(sampleCacheKey(provider, { ...request, temperature: undefined, topP: undefined }, 0)).not.toBe(
      base,
    );
    for (const changed of [
      { ...request, temperature: 0.7 },
      { ...request, seed: 1 },
      { ...request, maxTokens: 10 },
      { ...request, stop: [';'] },
      { ...request, logprobs: true },
      { ...request, messages: [{ role: 'user', content: 'q2' }] },
      { ...request, providerOptions: { fake: { top_k: 3 } } },
    ] satisfies LlmRequest[]) {
      expect(sampleCacheKey(provider, changed, 0)).not.toBe(base);
    }
    expect(sampleCacheKey(provider, request, 1)).not.toBe(base);
    expect(sampleCacheKey({ ...provider, modelId: 'other' }, request, 0)).not.toBe(base);
    expect(sampleCacheKey({ ...provider, cacheScope: 'http://b' }, request, 0)).not.toBe(base);
  });
});

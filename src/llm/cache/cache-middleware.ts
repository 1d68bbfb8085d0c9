import type { LlmMiddleware, LlmSample } from '../spec.js';
import { emptyUsage } from '../usage/usage.js';
import { sampleCacheKey } from './cache-key.js';
import type { ResponseCache } from './sqlite-response-cache.js';

/**
 * Serves samples from the cache and asks the provider only for the missing ones, then stores
 * them. Samples are cached one by one, so asking for more samples of a prompt later (a higher
 * `n` or `sampleOffset`) reuses those already drawn. Cached samples report zero usage.
 * @example
 * const model = wrapProvider(provider, [createCacheMiddleware(cache), scheduler.middleware]);
 */
export function createCacheMiddleware(cache: ResponseCache): LlmMiddleware {
  return (provider) => ({
    ...provider,
    async doGenerate(request, callOptions) {
      const n = request.n ?? 1;
      const offset = request.sampleOffset ?? 0;
      const indices = Array.from({ length: n }, (_, position) => offset + position);
      const keys = indices.map((index) => sampleCacheKey(provider, request, index));
      const found = cache.getMany(keys);
      const missing = indices.filter((_, position) => !found.has(keys[position]!));
      if (missing.length === 0) {
        return { samples: keys.map((key) => found.get(key)!), usage: emptyUsage, cachedSamples: n };
      }
      const result = await provider.doGenerate(
        { ...request, n: missing.length, sampleOffset: missing[0] },
        callOptions,
      );
      const fresh = new Map<number, LlmSample>();
      result.samples.slice(0, missing.length).forEach((sample, position) => {
        fresh.set(missing[position]!, { ...sample, index: missing[position]! });
      });
      cache.setMany(
        [...fresh.entries()]
          .filter(([, sample]) => sample.finishReason !== 'error')
          .map(([index, sample]) => [keys[index - offset]!, sample] as const),
      );
      const samples = indices.flatMap((index, position) => {
        const sample = found.get(keys[position]!) ?? fresh.get(index);
        return sample ? [sample] : [];
      });
      return { ...result, samples, cachedSamples: n - missing.length };
    },
  });
}

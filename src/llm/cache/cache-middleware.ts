import { SymgenError } from '../../errors/index.js';
import { mergeResults } from '../fan-out.js';
import type { LlmMiddleware, LlmResult, LlmSample } from '../spec.js';
import { emptyUsage } from '../usage/usage.js';
import { sampleCacheKey } from './cache-key.js';
import type { ResponseCache } from './sqlite-response-cache.js';

/** Calls asking for the samples a provider left out, before giving up. */
const MAX_TOP_UPS = 3;

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
      const fresh = new Map<number, LlmSample>();
      const results: LlmResult[] = [];
      // a provider that returns fewer samples than asked is asked for the rest; an answer is never
      // short of samples (it would be decided from missing samples) and an empty one is never cached
      for (let round = 0; round < MAX_TOP_UPS; round++) {
        const wanted = missing.filter((index) => !fresh.has(index));
        if (wanted.length === 0) break;
        const result = await provider.doGenerate(
          { ...request, n: wanted.length, sampleOffset: wanted[0] },
          callOptions,
        );
        results.push(result);
        result.samples.slice(0, wanted.length).forEach((sample, position) => {
          fresh.set(wanted[position]!, { ...sample, index: wanted[position]! });
        });
        cache.setMany(
          result.samples
            .slice(0, wanted.length)
            .flatMap((sample, position) =>
              sample.finishReason === 'error'
                ? []
                : [[keys[wanted[position]! - offset]!, fresh.get(wanted[position]!)!] as const],
            ),
        );
      }
      const short = missing.filter((index) => !fresh.has(index)).length;
      if (short > 0) {
        throw new SymgenError(
          `${provider.provider} ${provider.modelId} returned ${missing.length - short} of the ${missing.length} samples asked for, ${MAX_TOP_UPS} times; the samples received are cached, resume to ask for the rest`,
        );
      }
      const samples = indices.flatMap((index, position) => {
        const sample = found.get(keys[position]!) ?? fresh.get(index);
        return sample ? [sample] : [];
      });
      return { ...mergeResults(results), samples, cachedSamples: n - missing.length };
    },
  });
}

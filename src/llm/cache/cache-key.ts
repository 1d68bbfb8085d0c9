import { createHash } from 'node:crypto';
import type { LlmProvider, LlmRequest } from '../spec.js';

// Bump when the key layout or the stored sample shape changes, so old entries stop matching.
const keyVersion = 1;

/**
 * The cache key of sample `index` of a request: a SHA-256 over everything that changes the answer
 * (provider, model, endpoint scope, messages, sampling parameters, seed, provider options and the
 * sample index). `n` and `sampleOffset` are left out: they only choose which indices are asked for.
 */
export function sampleCacheKey(provider: LlmProvider, request: LlmRequest, index: number): string {
  const { n: _n, sampleOffset: _offset, ...rest } = request;
  const material = stableStringify({
    version: keyVersion,
    provider: provider.provider,
    modelId: provider.modelId,
    scope: provider.cacheScope ?? null,
    request: rest,
    index,
  });
  return createHash('sha256').update(material).digest('hex');
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`).join(',')}}`;
}

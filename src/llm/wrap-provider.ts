import type { LlmMiddleware, LlmProvider } from './spec.js';

/**
 * Wraps a provider in middleware. The first middleware is the outermost: with
 * `[cache, scheduler]`, a cache hit never waits for a concurrency slot.
 * @example
 * const model = wrapProvider(openai, [createCacheMiddleware(cache), createScheduler().middleware]);
 */
export function wrapProvider(provider: LlmProvider, middleware: readonly LlmMiddleware[]): LlmProvider {
  return middleware.reduceRight((wrapped, wrap) => wrap(wrapped), provider);
}

import type { LlmCallOptions, LlmRequest, LlmResult, LlmSample } from './spec.js';
import { addUsage, emptyUsage } from './usage/usage.js';

/**
 * Serves a request for `n` samples with calls of at most `perCall` samples each, run in parallel,
 * and merges their results. Each call gets its own `sampleOffset` (and so its own derived seed).
 * With `warmFirst`, the first call runs alone before the others start.
 */
export async function fanOut(
  request: LlmRequest,
  perCall: number,
  call: (request: LlmRequest, options: LlmCallOptions) => Promise<LlmResult>,
  options: LlmCallOptions = {},
  warmFirst = false,
): Promise<LlmResult> {
  const n = request.n ?? 1;
  const offset = request.sampleOffset ?? 0;
  if (n <= perCall) return call(request, options);
  const parts: LlmRequest[] = [];
  for (let start = 0; start < n; start += perCall) {
    parts.push({ ...request, n: Math.min(perCall, n - start), sampleOffset: offset + start });
  }
  if (warmFirst) {
    // the first call writes the provider's prompt cache; the others then read it
    const first = await call(parts[0]!, options);
    const rest = await Promise.all(parts.slice(1).map((part) => call(part, options)));
    return mergeResults([first, ...rest]);
  }
  const results = await Promise.all(parts.map((part) => call(part, options)));
  return mergeResults(results);
}

/** Concatenates samples and adds up usage and cost. */
export function mergeResults(results: readonly LlmResult[]): LlmResult {
  const samples: LlmSample[] = results.flatMap((result) => result.samples);
  const usage = results.reduce((sum, result) => addUsage(sum, result.usage), emptyUsage);
  const costs = results.map((result) => result.costUsd).filter((cost) => cost !== undefined);
  const cachedSamples = results.reduce((sum, result) => sum + (result.cachedSamples ?? 0), 0);
  const counted = results.filter((result) => result.httpRequests !== undefined);
  const httpRequests = counted.reduce((sum, result) => sum + result.httpRequests!, 0);
  const rateLimit = results.findLast((result) => result.rateLimit)?.rateLimit;
  return {
    samples,
    usage,
    responseModelId: results.find((result) => result.responseModelId)?.responseModelId,
    ...(costs.length > 0 ? { costUsd: costs.reduce((a, b) => a + b, 0) } : {}),
    ...(cachedSamples > 0 ? { cachedSamples } : {}),
    ...(counted.length > 0 ? { httpRequests } : {}),
    ...(rateLimit ? { rateLimit } : {}),
  };
}

/** The seed for one sample when samples are drawn by separate calls: distinct but reproducible. */
export function sampleSeed(seed: number | undefined, index: number): number | undefined {
  return seed === undefined ? undefined : seed + index;
}

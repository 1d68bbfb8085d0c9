import type { LlmMiddleware, LlmUsage } from '../spec.js';
import { computeCost, defaultPrices, findPrice, type PriceTable } from './prices.js';
import { addUsage, emptyUsage } from './usage.js';

/** Totals for one model. */
export interface ModelUsageTotals {
  /** HTTP requests sent (top-ups, split calls and failed attempts included). */
  readonly requests: number;
  readonly usage: LlmUsage;
  /** Undefined when the model has no price in the table. */
  readonly costUsd: number | undefined;
}

/** Usage totals over a run, by model id. */
export interface UsageTotals {
  readonly requests: number;
  readonly usage: LlmUsage;
  readonly costUsd: number;
  readonly byModel: Readonly<Record<string, ModelUsageTotals>>;
}

/** Counts tokens and cost of every call made through its middleware. */
export interface UsageTracker {
  readonly middleware: LlmMiddleware;
  totals(): UsageTotals;
}

/**
 * Creates a usage tracker. Its middleware adds `costUsd` to each result (when the model has a
 * price) and accumulates totals. Cache hits report zero usage, so they cost nothing.
 * @example
 * const usage = createUsageTracker({ prices: { ...defaultPrices, mine: { inputPerMillion: 1, outputPerMillion: 1 } } });
 */
export function createUsageTracker(options: { prices?: PriceTable } = {}): UsageTracker {
  const prices = options.prices ?? defaultPrices;
  const byModel = new Map<string, { requests: number; usage: LlmUsage; costUsd: number | undefined }>();
  const middleware: LlmMiddleware = (provider) => ({
    ...provider,
    async doGenerate(request, callOptions) {
      const result = await provider.doGenerate(request, callOptions);
      const price = findPrice(prices, provider.modelId);
      const costUsd = price ? computeCost(price, result.usage) : undefined;
      const entry = byModel.get(provider.modelId) ?? {
        requests: 0,
        usage: emptyUsage,
        costUsd: price ? 0 : undefined,
      };
      // what a rate limit counts: HTTP requests, top-ups and failed attempts included
      entry.requests += result.httpRequests ?? 1;
      entry.usage = addUsage(entry.usage, result.usage);
      if (costUsd !== undefined) entry.costUsd = (entry.costUsd ?? 0) + costUsd;
      byModel.set(provider.modelId, entry);
      return costUsd === undefined ? result : { ...result, costUsd };
    },
  });
  return {
    middleware,
    totals() {
      let usage = emptyUsage;
      let requests = 0;
      let costUsd = 0;
      const models: Record<string, ModelUsageTotals> = {};
      for (const [modelId, entry] of byModel) {
        usage = addUsage(usage, entry.usage);
        requests += entry.requests;
        costUsd += entry.costUsd ?? 0;
        models[modelId] = { ...entry };
      }
      return { requests, usage, costUsd, byModel: models };
    },
  };
}

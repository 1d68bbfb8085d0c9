import { z } from 'zod';
import type { LlmUsage } from '../spec.js';

/** Prices of one model in US dollars per million tokens. */
export const modelPriceSchema = z.strictObject({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
  /** Price of prompt tokens read from the provider's prompt cache. @default inputPerMillion */
  cachedInputPerMillion: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** Model id (or id prefix) to price. */
export const priceTableSchema = z.record(z.string(), modelPriceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * A few list prices, as published when this was written; they change, so extend or override them:
 * @example
 * const prices = { ...defaultPrices, 'my-finetune': { inputPerMillion: 1, outputPerMillion: 2 } };
 */
export const defaultPrices: PriceTable = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6, cachedInputPerMillion: 0.1 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5 },
  'claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4, cachedInputPerMillion: 0.08 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5, cachedInputPerMillion: 0.1 },
  'claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
};

/**
 * Finds the price of a model: the exact id, else the longest id in the table that the model id
 * starts with (so `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`). Undefined when unknown.
 */
export function findPrice(prices: PriceTable, modelId: string): ModelPrice | undefined {
  const exact = prices[modelId];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (modelId.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : prices[best];
}

/** Cost in US dollars of the given usage at the given price. */
export function computeCost(price: ModelPrice, usage: LlmUsage): number {
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion;
  return (
    (uncached * price.inputPerMillion +
      cached * cachedPrice +
      usage.completionTokens * price.outputPerMillion) /
    1_000_000
  );
}

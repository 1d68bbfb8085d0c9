import { z } from 'zod';
import type { LlmUsage } from '../spec.js';

/** Prices of one model in US dollars per million tokens. */
export const modelPriceSchema = z.strictObject({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
  /** Price of prompt tokens read from the provider's prompt cache. @default inputPerMillion */
  cachedInputPerMillion: z.number().nonnegative().optional(),
  /** Price of prompt tokens written to a 5-minute prompt cache. @default inputPerMillion */
  cacheWritePerMillion: z.number().nonnegative().optional(),
  /** Price of prompt tokens written to a 1-hour prompt cache. @default cacheWritePerMillion */
  cacheWrite1hPerMillion: z.number().nonnegative().optional(),
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
  // Anthropic: cache reads at 0.1x input, 5-minute writes at 1.25x, 1-hour writes at 2x
  'claude-3-5-haiku': anthropicPrice(0.8, 4),
  'claude-haiku-4-5': anthropicPrice(1, 5),
  'claude-sonnet-4': anthropicPrice(3, 15),
};

function anthropicPrice(inputPerMillion: number, outputPerMillion: number): ModelPrice {
  return {
    inputPerMillion,
    outputPerMillion,
    cachedInputPerMillion: round(inputPerMillion * 0.1),
    cacheWritePerMillion: round(inputPerMillion * 1.25),
    cacheWrite1hPerMillion: round(inputPerMillion * 2),
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

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

/**
 * Cost in US dollars of the given usage at the given price: cache reads, 5-minute and 1-hour cache
 * writes each at their own rate, the rest of the prompt at the input rate.
 */
export function computeCost(price: ModelPrice, usage: LlmUsage): number {
  let left = usage.promptTokens;
  const take = (tokens: number | undefined) => {
    const part = Math.min(Math.max(0, tokens ?? 0), left);
    left -= part;
    return part;
  };
  const cached = take(usage.cachedTokens);
  const written = take(usage.cacheWriteTokens);
  const written1h = take(usage.cacheWrite1hTokens);
  const writePrice = price.cacheWritePerMillion ?? price.inputPerMillion;
  return (
    (left * price.inputPerMillion +
      cached * (price.cachedInputPerMillion ?? price.inputPerMillion) +
      written * writePrice +
      written1h * (price.cacheWrite1hPerMillion ?? writePrice) +
      usage.completionTokens * price.outputPerMillion) /
    1_000_000
  );
}

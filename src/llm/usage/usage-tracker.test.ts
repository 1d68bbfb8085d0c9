import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../testing/index.js';
import { wrapProvider } from '../wrap-provider.js';
import { computeCost, defaultPrices, findPrice } from './prices.js';
import { createUsageTracker } from './usage-tracker.js';

describe('usage and prices', () => {
  it('prices dated model ids by their longest known prefix', () => {
    expect(findPrice(defaultPrices, 'gpt-4o-mini-2024-07-18')).toBe(defaultPrices['gpt-4o-mini']);
    expect(findPrice(defaultPrices, 'gpt-4o-2024-08-06')).toBe(defaultPrices['gpt-4o']);
    expect(findPrice(defaultPrices, 'my-local-model')).toBeUndefined();
  });

  it('charges cached prompt tokens at the cached price', () => {
    const price = { inputPerMillion: 2, outputPerMillion: 10, cachedInputPerMillion: 1 };
    expect(
      computeCost(price, { promptTokens: 1_000_000, completionTokens: 100_000, cachedTokens: 500_000 }),
    ).toBe(1 + 0.5 + 1);
  });

  it('adds cost to each result and totals usage by model, with user prices', async () => {
    const tracker = createUsageTracker({
      prices: { ...defaultPrices, 'fake-model': { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 } },
    });
    const model = wrapProvider(createFakeProvider(), [tracker.middleware]);
    const result = await model.doGenerate({ messages: [{ role: 'user', content: 'q' }], n: 2 });
    await model.doGenerate({ messages: [{ role: 'user', content: 'q' }] });
    expect(result.costUsd).toBe(10 + 2 * 2);
    expect(tracker.totals()).toEqual({
      requests: 2,
      usage: {
        promptTokens: 20,
        completionTokens: 3,
        cachedTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
      },
      costUsd: 14 + 12,
      byModel: {
        'fake-model': {
          requests: 2,
          usage: {
            promptTokens: 20,
            completionTokens: 3,
            cachedTokens: 0,
            cacheWriteTokens: 0,
            cacheWrite1hTokens: 0,
          },
          costUsd: 26,
        },
      },
    });
  });
});

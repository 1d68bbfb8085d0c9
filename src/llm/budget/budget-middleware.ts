import { BudgetError, ConfigError } from '../../errors/index.js';
import type { LlmMiddleware, LlmRequest } from '../spec.js';
import { estimateRequestTokens } from '../token-estimate.js';
import { computeCost, type ModelPrice } from '../usage/prices.js';

/** Most a run may spend: US dollars (from the price table) and tokens (prompt plus completion). */
export interface BudgetLimits {
  readonly maxCostUsd?: number | undefined;
  readonly maxTokens?: number | undefined;
}

/** What was spent so far. */
export interface BudgetSpent {
  costUsd: number;
  tokens: number;
}

export interface Budget {
  /** Goes inside the response cache: only requests that reach the model are checked and counted. */
  readonly middleware: LlmMiddleware;
  /** Spent so far (including what the run spent before a resume), and reserved by requests in flight. */
  spent(): Readonly<BudgetSpent>;
}

/**
 * A spending limit checked before each request: the request's cost is estimated from the price
 * table (prompt tokens as characters / 4, completion tokens as `maxTokens` for every sample: an upper
 * bound), and the request is refused with a `BudgetError` when what was spent, what requests in
 * flight may spend and this estimate would pass a limit. After the answer, its real usage is counted.
 */
export function createBudget(
  limits: BudgetLimits,
  options: { price: ModelPrice | undefined; modelId: string; spent?: BudgetSpent; resumeHint?: string },
): Budget {
  if (limits.maxCostUsd !== undefined && options.price === undefined) {
    throw new ConfigError('--max-cost', [
      {
        path: 'budget.maxCostUsd',
        message: `no price for model ${JSON.stringify(options.modelId)} in the price table: add it under llm.prices ({ inputPerMillion, outputPerMillion })`,
      },
    ]);
  }
  const spent: BudgetSpent = { costUsd: options.spent?.costUsd ?? 0, tokens: options.spent?.tokens ?? 0 };
  const reserved: BudgetSpent = { costUsd: 0, tokens: 0 };
  const estimate = (request: LlmRequest) => {
    const { promptTokens, completionTokens } = estimateRequestTokens(request);
    return {
      tokens: promptTokens + completionTokens,
      costUsd: options.price
        ? computeCost(options.price, { promptTokens, completionTokens, cachedTokens: 0 })
        : 0,
    };
  };
  const refuse = (what: string, next: string) => {
    throw new BudgetError(
      `budget reached: ${what}; the next request (about ${next}) was not sent. The run is saved: continue it with a larger budget${options.resumeHint ? ` (${options.resumeHint})` : ''}`,
      { spentUsd: spent.costUsd, spentTokens: spent.tokens },
    );
  };
  const middleware: LlmMiddleware = (provider) => ({
    ...provider,
    async doGenerate(request, callOptions) {
      const cost = estimate(request);
      if (
        limits.maxCostUsd !== undefined &&
        spent.costUsd + reserved.costUsd + cost.costUsd > limits.maxCostUsd
      )
        refuse(
          `$${spent.costUsd.toFixed(4)} spent of --max-cost ${limits.maxCostUsd}`,
          `$${cost.costUsd.toFixed(4)}`,
        );
      if (limits.maxTokens !== undefined && spent.tokens + reserved.tokens + cost.tokens > limits.maxTokens)
        refuse(`${spent.tokens} tokens spent of --max-tokens ${limits.maxTokens}`, `${cost.tokens} tokens`);
      reserved.costUsd += cost.costUsd;
      reserved.tokens += cost.tokens;
      try {
        const result = await provider.doGenerate(request, callOptions);
        spent.costUsd += result.costUsd ?? 0;
        spent.tokens += result.usage.promptTokens + result.usage.completionTokens;
        return result;
      } finally {
        reserved.costUsd -= cost.costUsd;
        reserved.tokens -= cost.tokens;
      }
    },
  });
  return {
    middleware,
    spent: () => ({ costUsd: spent.costUsd + reserved.costUsd, tokens: spent.tokens + reserved.tokens }),
  };
}

import { ConfigError, zodIssues } from '../errors/index.js';
import { createAnthropic } from './anthropic/index.js';
import { type Budget, type BudgetLimits, type BudgetSpent, createBudget } from './budget/index.js';
import { createCacheMiddleware, type ResponseCache } from './cache/index.js';
import { type LlmConfig, type LlmProviderConfig, llmConfigSchema } from './config.js';
import { createLlamaCpp } from './llama-cpp/index.js';
import { createOpenAICompatible } from './openai-compatible/index.js';
import { createScheduler, type Scheduler } from './scheduler/index.js';
import type { LlmMiddleware, LlmProvider } from './spec.js';
import { defaultPrices, findPrice, type ModelPrice } from './usage/prices.js';
import { createUsageTracker, type UsageTracker } from './usage/usage-tracker.js';
import { wrapProvider } from './wrap-provider.js';

/** A model ready for a run: the wrapped provider and the parts whose stats a run reports. */
export interface Llm {
  /** Cache (when given), usage accounting and the scheduler around the provider. */
  readonly model: LlmProvider;
  readonly scheduler: Scheduler;
  readonly usage: UsageTracker;
  readonly cache: ResponseCache | undefined;
  /** The spending limit, when one was given. */
  readonly budget?: Budget | undefined;
  /** The model's price from the price table, when it has one. */
  readonly price?: ModelPrice | undefined;
}

/** Creates the bare provider a config describes. */
export function createProvider(
  config: LlmProviderConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LlmProvider {
  switch (config.kind) {
    case 'openai-compatible':
      return createOpenAICompatible({ ...config, env });
    case 'anthropic':
      return createAnthropic({ ...config, env });
    case 'llama-cpp':
      return createLlamaCpp(config);
  }
}

/**
 * Builds a model from the `llm:` config section (validated here; a bad one throws a
 * {@link ConfigError} listing every issue): provider, scheduler, usage and, when a cache is given,
 * the response cache in front so hits cost nothing and take no slot.
 * @example
 * const llm = createLlm({ provider: { kind: 'openai-compatible', model: 'gpt-4o-mini' } }, { cache });
 */
export function createLlm(
  input: unknown,
  options: {
    cache?: ResponseCache;
    env?: Readonly<Record<string, string | undefined>>;
    onMessage?: (message: string) => void;
    /**
     * The provider to wrap instead of the one the config describes (a distributed run's queue):
     * it then does its own retries and limits, so this scheduler only passes calls through.
     */
    provider?: LlmProvider;
    /** Limits checked before each request that reaches the model (`--max-cost`, `--max-tokens`). */
    budget?: { limits: BudgetLimits; spent?: BudgetSpent; resumeHint?: string };
  } = {},
): Llm {
  const parsed = llmConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError('llm config', zodIssues(parsed.error));
  }
  const config: LlmConfig = parsed.data;
  const scheduler = options.provider
    ? createScheduler({
        concurrency: { max: 100_000, initial: 100_000, latencyTolerance: Number.POSITIVE_INFINITY },
        retry: { maxRetries: 0 },
        timeoutMs: 24 * 3_600_000,
        onMessage: options.onMessage,
      })
    : createScheduler({
        concurrency: { max: config.scheduler.maxConcurrency, initial: config.scheduler.initialConcurrency },
        rateLimit: {
          requestsPerMinute: config.scheduler.requestsPerMinute,
          tokensPerMinute: config.scheduler.tokensPerMinute,
        },
        retry: { maxRetries: config.scheduler.maxRetries },
        timeoutMs: config.scheduler.timeoutMs,
        onMessage: options.onMessage,
      });
  const prices = { ...defaultPrices, ...config.prices };
  const usage = createUsageTracker({ prices });
  const provider = options.provider ?? createProvider(config.provider, options.env);
  const budget =
    options.budget &&
    (options.budget.limits.maxCostUsd !== undefined || options.budget.limits.maxTokens !== undefined)
      ? createBudget(options.budget.limits, {
          price: findPrice(prices, provider.modelId),
          modelId: provider.modelId,
          ...(options.budget.spent ? { spent: options.budget.spent } : {}),
          ...(options.budget.resumeHint ? { resumeHint: options.budget.resumeHint } : {}),
        })
      : undefined;
  const middleware: LlmMiddleware[] = [
    ...(options.cache ? [createCacheMiddleware(options.cache)] : []),
    // inside the cache: only requests that reach the model are checked and counted
    ...(budget ? [budget.middleware] : []),
    usage.middleware,
    scheduler.middleware,
  ];
  return {
    model: wrapProvider(provider, middleware),
    scheduler,
    usage,
    cache: options.cache,
    budget,
    price: findPrice(prices, provider.modelId),
  };
}

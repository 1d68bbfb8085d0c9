export { type AnthropicOptions, createAnthropic } from './anthropic/index.js';
export {
  type CacheStats,
  createCacheMiddleware,
  openSqliteResponseCache,
  type ResponseCache,
  sampleCacheKey,
} from './cache/index.js';
export {
  checkEndpoint,
  type EndpointCheckOptions,
  type EndpointCheckReport,
  formatEndpointCheck,
} from './check-endpoint.js';
export {
  type AnthropicConfig,
  anthropicConfigSchema,
  type LlamaCppConfig,
  type LlmConfig,
  type LlmProviderConfig,
  llamaCppConfigSchema,
  llmConfigSchema,
  llmProviderConfigSchema,
  type OpenAICompatibleConfig,
  openAICompatibleConfigSchema,
  type SchedulerConfig,
  schedulerConfigSchema,
} from './config.js';
export { createLlm, createProvider, type Llm } from './create-llm.js';
export { createLlamaCpp, type LlamaCppOptions, type LlamaCppProvider } from './llama-cpp/index.js';
export {
  createOpenAICompatible,
  listOpenAICompatibleModels,
  type OpenAICompatibleOptions,
} from './openai-compatible/index.js';
export {
  type AdaptiveConcurrencyOptions,
  type CircuitBreakerOptions,
  createScheduler,
  type RateLimitOptions,
  type RetryOptions,
  type Scheduler,
  type SchedulerClock,
  type SchedulerOptions,
  type SchedulerStats,
} from './scheduler/index.js';
export type {
  LlmCallOptions,
  LlmFinishReason,
  LlmMessage,
  LlmMiddleware,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmSample,
  LlmUsage,
} from './spec.js';
export { computeCost, defaultPrices, findPrice, type ModelPrice, type PriceTable } from './usage/prices.js';
export { createUsageTracker, type UsageTotals, type UsageTracker } from './usage/usage-tracker.js';
export { wrapProvider } from './wrap-provider.js';

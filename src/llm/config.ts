import { z } from 'zod';
import { priceTableSchema } from './usage/prices.js';

/** An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp server, LM Studio). */
export const openAICompatibleConfigSchema = z.strictObject({
  kind: z.literal('openai-compatible'),
  model: z.string().min(1),
  baseURL: z.url().optional(),
  apiKeyEnv: z.string().optional(),
  api: z.enum(['chat', 'completions']).default('chat'),
  maxSamplesPerCall: z.int().positive().optional(),
});

/** Anthropic's Messages API. */
export const anthropicConfigSchema = z.strictObject({
  kind: z.literal('anthropic'),
  model: z.string().min(1),
  baseURL: z.url().optional(),
  promptCaching: z.enum(['auto', 'off']).default('auto'),
});

/** A GGUF model run in-process by node-llama-cpp. */
export const llamaCppConfigSchema = z.strictObject({
  kind: z.literal('llama-cpp'),
  /** A path to a `.gguf` file, or `hf:<user>/<repo>/<file>.gguf` to download once. */
  model: z.string().min(1),
  threads: z.int().positive().optional(),
  contextSize: z.int().positive().optional(),
  parallelSequences: z.int().positive().optional(),
});

/** Which model to use, tagged by `kind`. */
export const llmProviderConfigSchema = z.discriminatedUnion('kind', [
  openAICompatibleConfigSchema,
  anthropicConfigSchema,
  llamaCppConfigSchema,
]);

/** Scheduler settings a user can write in a config file. */
export const schedulerConfigSchema = z.strictObject({
  maxConcurrency: z.int().positive().default(32),
  initialConcurrency: z.int().positive().default(4),
  requestsPerMinute: z.number().positive().optional(),
  tokensPerMinute: z.number().positive().optional(),
  maxRetries: z.int().nonnegative().default(5),
  timeoutMs: z.int().positive().default(120_000),
});

/** The `llm:` section of a pipeline config. */
export const llmConfigSchema = z.strictObject({
  provider: llmProviderConfigSchema,
  scheduler: schedulerConfigSchema.default(() => schedulerConfigSchema.parse({})),
  /** Extra or corrected prices, merged over the defaults. */
  prices: priceTableSchema.optional(),
});

export type OpenAICompatibleConfig = z.infer<typeof openAICompatibleConfigSchema>;
export type AnthropicConfig = z.infer<typeof anthropicConfigSchema>;
export type LlamaCppConfig = z.infer<typeof llamaCppConfigSchema>;
export type LlmProviderConfig = z.infer<typeof llmProviderConfigSchema>;
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
export type LlmConfig = z.infer<typeof llmConfigSchema>;

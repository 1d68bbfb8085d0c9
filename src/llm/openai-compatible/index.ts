export { listOpenAICompatibleModels } from './list-models.js';
export { createOpenAICompatible } from './openai-compatible-provider.js';
export type { OpenAICompatibleOptions } from './openai-compatible-settings.js';

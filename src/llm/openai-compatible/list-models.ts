import { requestJson } from '../http.js';
import type { LlmCallOptions } from '../spec.js';
import { modelListSchema } from './openai-compatible-schemas.js';
import {
  type OpenAICompatibleOptions,
  resolveOpenAICompatibleOptions,
} from './openai-compatible-settings.js';

/** Lists the model ids an OpenAI-compatible server offers (`GET /models`). */
export async function listOpenAICompatibleModels(
  options: Omit<OpenAICompatibleOptions, 'model'>,
  callOptions: LlmCallOptions = {},
): Promise<string[]> {
  const settings = resolveOpenAICompatibleOptions({ ...options, model: '' });
  const { value } = await requestJson({
    url: `${settings.baseURL}/models`,
    method: 'GET',
    headers: settings.headers,
    schema: modelListSchema,
    signal: callOptions.signal,
    fetch: settings.fetch,
  });
  return value.data.map((model) => model.id);
}

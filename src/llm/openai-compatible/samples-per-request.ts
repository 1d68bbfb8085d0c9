import { z } from 'zod';
import { ApiCallError } from '../../errors/index.js';
import { requestJson } from '../http.js';
import type { ResolvedOpenAICompatibleOptions } from './openai-compatible-settings.js';

/**
 * How a server refused `n`, read from its error: llama.cpp builds before `n` was supported answer
 * "Only one completion choice is allowed" (500, `tools/server/utils.hpp`); later builds accept `n`
 * up to their parallel slots and answer 400 "n_cmpl cannot be greater than the number of slots, please
 * increase -np" above it (`tools/server/server-task.cpp`). Undefined for any other error.
 */
export function refusedN(error: unknown): 'one-choice' | 'slots' | undefined {
  if (!(error instanceof ApiCallError)) return undefined;
  const text = `${error.message} ${error.responseBody ?? ''}`;
  if (/only one completion choice is allowed/i.test(text)) return 'one-choice';
  if (/n_cmpl cannot be greater than the number of slots/i.test(text)) return 'slots';
  return undefined;
}

const propsSchema = z.looseObject({ total_slots: z.number().int().positive().nullish() });

/**
 * The number of parallel slots of a llama.cpp server (`GET /props` answers `total_slots`, set by
 * `--parallel`/`-np`), undefined when the server does not say.
 */
export async function serverSlots(
  settings: ResolvedOpenAICompatibleOptions,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  const origin = settings.baseURL.replace(/\/v1$/, '');
  try {
    const { value } = await requestJson({
      url: `${origin}/props`,
      method: 'GET',
      headers: settings.headers,
      schema: propsSchema,
      signal,
      fetch: settings.fetch,
    });
    return value.total_slots ?? undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}

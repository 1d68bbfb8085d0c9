import { SymgenError } from '../../errors/index.js';
import type { LlmRequest, LlmResult } from '../../llm/spec.js';
import type { LlmRunContext } from './run-context.js';

/**
 * One model call of an LLM stage, with its usage recorded in the run store: `requests` counts the
 * HTTP requests the call took (none when the response cache answered it whole), `truncated` the
 * samples cut off at the token limit.
 */
export async function generateRecorded(
  context: LlmRunContext,
  stage: 'gen_q' | 'gen_a',
  request: LlmRequest,
): Promise<LlmResult> {
  const started = performance.now();
  const result = await context.llm.model.doGenerate(request, {
    ...(context.signal ? { signal: context.signal } : {}),
    onAttempt: () => context.store.recordAttempt(stage),
  });
  const n = request.n ?? 1;
  if (result.samples.length < n) {
    // never decide from missing samples: the call fails and a resume asks again
    throw new SymgenError(
      `${stage}: the model returned ${result.samples.length} of the ${n} samples asked for; nothing was decided from them (resume to ask again)`,
    );
  }
  context.store.recordUsage({
    stage,
    requests: result.httpRequests ?? ((result.cachedSamples ?? 0) >= n ? 0 : 1),
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    cachedTokens: result.usage.cachedTokens,
    cacheWriteTokens: (result.usage.cacheWriteTokens ?? 0) + (result.usage.cacheWrite1hTokens ?? 0),
    costUsd: result.costUsd ?? 0,
    samples: result.samples.length,
    cachedSamples: result.cachedSamples ?? 0,
    truncated: result.samples.filter((sample) => sample.finishReason === 'length').length,
    durationMs: performance.now() - started,
  });
  return result;
}

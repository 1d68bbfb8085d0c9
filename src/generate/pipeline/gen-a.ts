import type { LlmRequest, LlmSample } from '../../llm/spec.js';
import { promptHash } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import type { StoredExample, StoredPrompt } from '../../store/run-store.js';
import { sqlFeatures } from '../../tasks/sql/features.js';
import { verifyExample } from '../../verify/verify-stream.js';
import { engineInfo } from './engine-info.js';
import { generateRecorded } from './recorded-call.js';
import type { LlmRunContext } from './run-context.js';

/** The `gen_a` prompt of a question: knowledge with matching values, demonstrations, the question. */
export async function createAnswerPrompt(context: LlmRunContext, example: StoredExample) {
  const seed = seedFrom(context.config.seed, example.id, 'gen_a');
  const knowledge = context.knowledge(example.dbId).view({ seed, question: example.question });
  const demonstrations = (await context.selector?.forAnswer(example.question, example.dbId, seed)) ?? [];
  const messages = context.templates.genA.render({
    knowledge: knowledge.text,
    matches: knowledge.matches,
    demonstrations: demonstrations.map((demo) => ({ question: demo.question, program: demo.program })),
    question: example.question,
    db_id: example.dbId,
  });
  return {
    seed,
    messages,
    matches: knowledge.matches,
    demonstrationIds: demonstrations.map((demo) => demo.id),
  };
}

/** Mean token log-probability of a sample, when the server gave them. */
export function meanLogprob(sample: LlmSample): number | undefined {
  const values = sample.tokenLogprobs;
  if (!values || values.length === 0) return undefined;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Runs `gen_a` for one question: n candidate programs, then the verifier (extract, execute, vote).
 * The decision, its dataset line with provenance, and the program's features are stored in one
 * transaction.
 */
export async function answerQuestion(
  context: LlmRunContext,
  example: StoredExample,
  prompt: StoredPrompt | undefined,
): Promise<void> {
  const { config } = context;
  const sampling = config.generation.genA;
  const built = await createAnswerPrompt(context, example);
  const request: LlmRequest = {
    messages: built.messages,
    n: sampling.n,
    temperature: sampling.temperature,
    ...(sampling.topP === undefined ? {} : { topP: sampling.topP }),
    maxTokens: sampling.maxTokens,
    ...(sampling.logprobs ? { logprobs: true } : {}),
    seed: built.seed,
  };
  const result = await generateRecorded(context, 'gen_a', request);
  const environment = context.databases.get(example.dbId)!;
  const verifyStarted = performance.now();
  const verified = await verifyExample(
    {
      id: example.id,
      question: example.question,
      db_id: example.dbId,
      // a sample cut off at the token limit is no program: it never votes (cut samples of one
      // prompt are cut at the same place, so they would agree with each other)
      candidates: result.samples
        .filter((sample) => sample.finishReason !== 'error' && sample.finishReason !== 'length')
        .map((sample) => ({ program: sample.text, logprob: meanLogprob(sample) })),
    },
    context.verify,
  );
  const features =
    verified.status === 'accepted' && typeof verified.program === 'string'
      ? sqlFeatures(verified.program)
      : undefined;
  const record = {
    ...verified,
    ...(features ? { features } : {}),
    ...(prompt?.condition === undefined ? {} : { condition: prompt.condition }),
    provenance: {
      method: 'symgen',
      model: {
        provider: context.llm.model.provider,
        modelId: context.llm.model.modelId,
        ...(result.responseModelId ? { responseModelId: result.responseModelId } : {}),
      },
      gen_q: prompt
        ? {
            promptId: prompt.id,
            promptHash: prompt.promptHash,
            demonstrationIds: prompt.demonstrationIds,
            sampling: config.generation.genQ,
            seed: prompt.seed,
          }
        : null,
      gen_a: {
        promptHash: promptHash(built.messages),
        demonstrationIds: built.demonstrationIds,
        matchedValues: built.matches.map((match) => `${match.table}.${match.column}=${match.literal}`),
        sampling,
        seed: built.seed,
        candidates: result.samples.length,
      },
      database: { id: environment.id, sha256: environment.sha256 },
      seed: config.seed,
      engine: engineInfo(),
    },
  };
  context.store.decide(example.id, {
    status: verified.status,
    ...(verified.reason ? { reason: verified.reason } : {}),
    record,
    features,
  });
  context.store.recordUsage({
    stage: 'verify',
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    samples: result.samples.length,
    cachedSamples: 0,
    truncated: 0,
    durationMs: performance.now() - verifyStarted,
  });
  if (features) context.sampler(example.dbId)?.observe(features);
  context.progress.genA.done++;
  if (verified.status === 'accepted') context.progress.genA.accepted++;
  context.progress.emit();
}

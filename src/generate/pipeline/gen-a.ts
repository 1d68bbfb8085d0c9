import type { LlmRequest, LlmSample } from '../../llm/spec.js';
import { promptHash } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import type { StoredExample, StoredPrompt } from '../../store/run-store.js';
import { sqlFeatures } from '../../tasks/sql/features.js';
import { checkpoints, checkStop, type StopReason } from '../../verify/adaptive.js';
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
  const environment = context.databases.get(example.dbId)!;
  // Candidates in rounds when adaptive (samples k..k+m of the same request, so the response cache and
  // resume see the same sample indices as a fixed run), else all n at once.
  const { verify: verifyConfig } = config;
  const rounds = verifyConfig.adaptive
    ? checkpoints(sampling.n, {
        first: verifyConfig.adaptiveFirst,
        step: verifyConfig.adaptiveStep,
        confidence: verifyConfig.adaptiveConfidence,
      })
    : [sampling.n];
  const samples: LlmSample[] = [];
  let responseModelId: string | undefined;
  let verified: Awaited<ReturnType<typeof verifyExample>> | undefined;
  let stop: StopReason | undefined;
  let verifyMs = 0;
  for (const upTo of rounds) {
    const offset = samples.length;
    const result = await generateRecorded(context, 'gen_a', {
      ...request,
      n: upTo - offset,
      ...(offset > 0 ? { sampleOffset: offset } : {}),
    });
    samples.push(...result.samples);
    responseModelId ??= result.responseModelId;
    const verifyStarted = performance.now();
    const candidates = samples
      // a sample cut off at the token limit is no program: it never votes (cut samples of one
      // prompt are cut at the same place, so they would agree with each other)
      .filter((sample) => sample.finishReason !== 'error' && sample.finishReason !== 'length')
      .map((sample) => ({ program: sample.text, logprob: meanLogprob(sample) }));
    verified = await verifyExample(
      { id: example.id, question: example.question, db_id: example.dbId, candidates },
      context.verify,
    );
    verifyMs += performance.now() - verifyStarted;
    if (!verifyConfig.adaptive) break;
    const errored = samples.length - candidates.length;
    const check = checkStop(
      (verified.clusters as { votes: number }[]).map((cluster) => cluster.votes),
      candidates.length,
      sampling.n - errored,
      verifyConfig.minVotes,
      verifyConfig.adaptiveConfidence,
    );
    if (check.stop) {
      stop = check.reason;
      break;
    }
  }
  if (!verified) throw new Error('unreachable: gen_a runs at least one round');
  if (verifyConfig.adaptive)
    verified = { ...verified, adaptive: { read: samples.length, budget: sampling.n, stop } };
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
        ...(responseModelId ? { responseModelId } : {}),
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
        candidates: samples.length,
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
    samples: samples.length,
    cachedSamples: 0,
    truncated: 0,
    durationMs: verifyMs,
  });
  if (features) context.sampler(example.dbId)?.observe(features);
  context.progress.genA.done++;
  if (verified.status === 'accepted') context.progress.genA.accepted++;
  context.progress.emit();
}

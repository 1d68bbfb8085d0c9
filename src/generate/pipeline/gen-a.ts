import type { LlmRequest, LlmSample } from '../../llm/spec.js';
import { promptCharacters } from '../../llm/token-estimate.js';
import { promptHash } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import type { StoredExample, StoredPrompt } from '../../store/run-store.js';
import type { GenerationSource, TaskRecord } from '../../tasks/spec.js';
import { checkStop, nextRoundSize, promptPriceInSamples, type StopReason } from '../../verify/adaptive.js';
import { type VerifiedRecord, verifyExample } from '../../verify/verify-stream.js';
import { demonstrationVariables } from './demonstration-variables.js';
import { engineInfo } from './engine-info.js';
import { generateRecorded } from './recorded-call.js';
import type { LlmRunContext } from './run-context.js';

/** The `gen_a` prompt of a question: the task's knowledge for it, demonstrations, the question. */
export async function createAnswerPrompt(context: LlmRunContext, example: StoredExample, record: TaskRecord) {
  const seed = seedFrom(context.config.seed, example.id, 'gen_a');
  const knowledge = context.knowledge(example.dbId).view({ seed, record });
  const demonstrations = (await context.selector?.forAnswer(example.question, example.dbId, seed)) ?? [];
  const messages = context.templates.genA.render({
    ...knowledge.variables,
    knowledge: knowledge.text,
    demonstrations: demonstrationVariables(demonstrations),
    question: example.question,
    source: example.dbId,
    db_id: example.dbId,
  });
  return {
    seed,
    messages,
    knowledge: knowledge.provenance ?? {},
    demonstrationIds: demonstrations.map((demo) => demo.id),
  };
}

/** Mean token log-probability of a sample, when the server gave them. */
export function meanLogprob(sample: LlmSample): number | undefined {
  const values = sample.tokenLogprobs;
  if (!values || values.length === 0) return undefined;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** A question answered and verified, not yet stored. */
export interface AnsweredQuestion {
  readonly record: Record<string, unknown>;
  readonly verified: VerifiedRecord;
  readonly features: Record<string, unknown> | undefined;
  readonly candidates: number;
  readonly verifyMs: number;
}

/**
 * `gen_a` for one question: n candidate programs, then the verifier (extract, execute, vote), and
 * its dataset line with the task's own fields and provenance. Stores nothing: {@link settleAnswer}
 * does, in question order.
 */
export async function answerQuestion(
  context: LlmRunContext,
  example: StoredExample,
  prompt: StoredPrompt | undefined,
): Promise<AnsweredQuestion> {
  const { config, task } = context;
  const sampling = config.generation.genA;
  const questionRecord = context.questionRecord(example.question);
  const built = await createAnswerPrompt(context, example, questionRecord);
  const request: LlmRequest = {
    messages: built.messages,
    n: sampling.n,
    temperature: sampling.temperature,
    ...(sampling.topP === undefined ? {} : { topP: sampling.topP }),
    maxTokens: sampling.maxTokens,
    ...(sampling.logprobs ? { logprobs: true } : {}),
    seed: built.seed,
  };
  const source = context.sources.get(example.dbId)!;
  const { question: _question, ...fields } = questionRecord;
  // Candidates in rounds when adaptive (samples k..k+m of the same request, so the response cache and
  // resume see the same sample indices as a fixed run), else all n at once. With `adaptiveRounds:
  // cost` and a priced model, a later round's size weighs sending the prompt again against the
  // samples it may save (nextRoundSize); the price in samples comes from the samples' text, so a
  // resumed run answered from the cache rounds the same way.
  const { verify: verifyConfig } = config;
  const rule = {
    first: verifyConfig.adaptiveFirst,
    step: verifyConfig.adaptiveStep,
    confidence: verifyConfig.adaptiveConfidence,
  };
  const promptChars = promptCharacters(request.messages);
  const price = verifyConfig.adaptiveRounds === 'cost' ? context.llm.price : undefined;
  const samples: LlmSample[] = [];
  let verified: VerifiedRecord | undefined;
  let stop: StopReason | undefined;
  let verifyMs = 0;
  let upTo = verifyConfig.adaptive ? Math.min(rule.first, sampling.n) : sampling.n;
  for (;;) {
    const offset = samples.length;
    const result = await generateRecorded(context, 'gen_a', {
      ...request,
      n: upTo - offset,
      ...(offset > 0 ? { sampleOffset: offset } : {}),
    });
    samples.push(...result.samples);
    const verifyStarted = performance.now();
    const candidates = samples
      // a sample cut off at the token limit is no program: it never votes (cut samples of one
      // prompt are cut at the same place, so they would agree with each other)
      .filter((sample) => sample.finishReason !== 'error' && sample.finishReason !== 'length')
      .map((sample) => ({ program: sample.text, logprob: meanLogprob(sample) }));
    verified = await verifyExample(
      {
        id: example.id,
        question: example.question,
        ...(source.path === undefined ? {} : { db_id: example.dbId }),
        ...fields,
        candidates,
      },
      context.verify(example.dbId),
    );
    verifyMs += performance.now() - verifyStarted;
    if (!verifyConfig.adaptive || result.samples.length === 0) break;
    const errored = samples.length - candidates.length;
    const votes = (verified.clusters as { votes: number }[]).map((cluster) => cluster.votes);
    const budget = sampling.n - errored;
    const check = checkStop(votes, candidates.length, budget, verifyConfig.minVotes, rule.confidence);
    if (check.stop) {
      stop = check.reason;
      break;
    }
    const promptSamples = promptPriceInSamples(
      promptChars,
      samples.filter((sample) => sample.finishReason !== 'error').map((sample) => sample.text.length),
      price,
    );
    upTo =
      samples.length +
      nextRoundSize(votes, candidates.length, budget, verifyConfig.minVotes, rule, promptSamples);
  }
  if (!verified) throw new Error('unreachable: gen_a runs at least one round');
  if (verifyConfig.adaptive)
    verified = { ...verified, adaptive: { read: samples.length, budget: sampling.n, stop } };
  const accepted = verified.status === 'accepted' && typeof verified.program === 'string';
  const features = accepted ? task.features?.(verified.program as string) : undefined;
  const winner = (verified.clusters as { key?: string; preview?: unknown; size?: number }[] | undefined)?.[0];
  const own = accepted
    ? datasetFields(context, {
        question: example.question,
        program: verified.program as string,
        fields,
        ...(winner ? { result: winner } : {}),
      })
    : {};
  const record = {
    ...verified,
    ...own,
    ...(features ? { features } : {}),
    ...(prompt?.condition === undefined ? {} : { condition: prompt.condition }),
    provenance: {
      method: 'symgen',
      task: task.id,
      // not the id the server reported: an answer served from the response cache has none, and the
      // line must not depend on whether it was
      model: { provider: context.llm.model.provider, modelId: context.llm.model.modelId },
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
        ...built.knowledge,
        sampling,
        seed: built.seed,
        candidates: samples.length,
      },
      ...sourceProvenance(source),
      seed: config.seed,
      engine: engineInfo(),
    },
  };
  return { record, verified, features, candidates: samples.length, verifyMs };
}

/** Stores one answered question (one transaction), in question order, and lets conditions adapt. */
export function settleAnswer(
  context: LlmRunContext,
  example: StoredExample,
  answered: AnsweredQuestion,
): void {
  const { verified, record, features } = answered;
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
    samples: answered.candidates,
    cachedSamples: 0,
    truncated: 0,
    durationMs: answered.verifyMs,
  });
  if (features) context.conditions(example.dbId)?.observe(features);
  context.progress.genA.done++;
  if (verified.status === 'accepted') context.progress.genA.accepted++;
  context.progress.emit();
}

/** The task's own fields of a dataset line (default: the program under the benchmark's field name). */
export function datasetFields(
  context: Pick<LlmRunContext, 'task'>,
  line: Parameters<NonNullable<NonNullable<LlmRunContext['task']['generation']>['datasetFields']>>[0],
): Record<string, unknown> {
  const generation = context.task.generation;
  if (generation?.datasetFields) return generation.datasetFields(line);
  const fields: Record<string, unknown> = {};
  if (generation && generation.fields.question !== 'question')
    fields[generation.fields.question] = line.question;
  if (generation && generation.fields.program !== 'program') fields[generation.fields.program] = line.program;
  return fields;
}

/** Where a line's programs ran: a database (id and SHA-256), or the task's source. */
export function sourceProvenance(source: GenerationSource): Record<string, unknown> {
  return source.path === undefined
    ? { source: { id: source.id } }
    : { database: { id: source.id, sha256: source.sha256 } };
}

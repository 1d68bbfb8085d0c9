import type { LlmRequest } from '../../llm/spec.js';
import { promptHash } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import type { StoredPrompt } from '../../store/run-store.js';
import { describeCondition } from '../conditions/index.js';
import type { QuestionFilter } from './question-text.js';
import { generateRecorded } from './recorded-call.js';
import type { LlmRunContext } from './run-context.js';

/**
 * Creates the next `gen_q` prompt of a database: a seeded sample of rows, seeded demonstrations and
 * a sampled condition, rendered once and stored, so a resumed run sends the same request.
 */
export function createQuestionPrompt(
  context: LlmRunContext,
  dbId: string,
  index: number,
  round: number,
): Omit<StoredPrompt, 'state' | 'counts'> {
  const { config } = context;
  const seed = seedFrom(config.seed, dbId, 'gen_q', index);
  const knowledge = context.knowledge(dbId).view({ seed });
  const demonstrations = context.selector?.forQuestions(dbId, seed) ?? [];
  const condition = context.sampler(dbId)?.next();
  const messages = context.templates.genQ.render({
    knowledge: knowledge.text,
    demonstrations: demonstrations.map((demo) => ({ question: demo.question, program: demo.program })),
    condition: condition ? describeCondition(condition) : '',
    db_id: dbId,
  });
  return {
    id: `${dbId}/q${index}`,
    dbId,
    index,
    round,
    messages,
    promptHash: promptHash(messages),
    demonstrationIds: demonstrations.map((demo) => demo.id),
    condition,
    seed,
  };
}

/** The request a `gen_q` prompt sends (the same on every resume, so the cache answers it). */
export function questionRequest(context: LlmRunContext, prompt: StoredPrompt): LlmRequest {
  const sampling = context.config.generation.genQ;
  return {
    messages: prompt.messages,
    n: sampling.n,
    temperature: sampling.temperature,
    ...(sampling.topP === undefined ? {} : { topP: sampling.topP }),
    maxTokens: sampling.maxTokens,
    seed: prompt.seed,
  };
}

/**
 * Runs one `gen_q` prompt: n samples, then the question filter (length, exact and normalised
 * duplicates, copies of demonstrations), then one transaction storing the kept questions (up to
 * the database's quota) and marking the prompt done. The filter and the quota depend on the
 * prompts settled before, so a prompt settles only after `settledBefore` (the previous prompt's
 * settling) resolves, and not at all (it stays pending) when that one did not settle: answers
 * arrive in any order (concurrency, workers on a queue), the prompts settle in their order.
 */
export async function runQuestionPrompt(
  context: LlmRunContext,
  prompt: StoredPrompt,
  filter: QuestionFilter,
  settledBefore: Promise<boolean> = Promise.resolve(true),
): Promise<number> {
  const request = questionRequest(context, prompt);
  const result = await generateRecorded(context, 'gen_q', request);
  if (!(await settledBefore)) return 0;
  const counts: Record<string, number> = { samples: result.samples.length };
  const questions: { id: string; question: string; key: string }[] = [];
  for (const sample of result.samples) {
    const checked =
      sample.finishReason === 'error'
        ? { drop: 'no-question' as const }
        : sample.finishReason === 'length'
          ? // a question cut off at the token limit is not a question
            { drop: 'truncated' as const }
          : filter.check(sample.text);
    if ('drop' in checked) counts[checked.drop] = (counts[checked.drop] ?? 0) + 1;
    else questions.push({ id: `${prompt.dbId}-q${prompt.index}-${sample.index}`, ...checked });
  }
  const kept = context.store.completePrompt(
    prompt.id,
    prompt.dbId,
    questions,
    context.quotas.get(prompt.dbId) ?? 0,
    counts,
  );
  context.progress.genQ.done++;
  context.progress.genQ.samples += result.samples.length;
  context.progress.genQ.kept += kept;
  context.progress.genA.total += kept;
  context.progress.emit();
  return kept;
}

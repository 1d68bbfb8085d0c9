import type { LlmRequest, LlmResult } from '../../llm/spec.js';
import { promptHash } from '../../prompt/prompt-template.js';
import { seedFrom } from '../../prompt/seed.js';
import type { StoredPrompt } from '../../store/run-store.js';
import { demonstrationVariables } from './demonstration-variables.js';
import type { CheckedQuestion, QuestionFilter } from './question-text.js';
import { generateRecorded } from './recorded-call.js';
import type { LlmRunContext } from './run-context.js';

/**
 * Creates the next `gen_q` prompt of a source: seeded knowledge (SQL: a sample of rows), seeded
 * demonstrations and a sampled condition, rendered once and stored, so a resumed run sends the
 * same request.
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
  const sampler = context.conditions(dbId);
  const condition = sampler?.next();
  const messages = context.templates.genQ.render({
    ...knowledge.variables,
    knowledge: knowledge.text,
    demonstrations: demonstrationVariables(demonstrations),
    condition: sampler && condition !== undefined ? sampler.describe(condition) : '',
    source: dbId,
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

/** Sends one `gen_q` prompt: n samples (work that may run in any order). */
export function askQuestions(context: LlmRunContext, prompt: StoredPrompt): Promise<LlmResult> {
  return generateRecorded(context, 'gen_q', questionRequest(context, prompt));
}

/**
 * Settles one `gen_q` prompt, in prompt order: its samples in sample order through the question
 * filter (length, exact and normalised duplicates, copies of demonstrations) and the source's quota,
 * then one transaction storing the kept questions and marking the prompt done. Ids, quotas and
 * duplicates depend only on the prompts settled before, never on when answers arrived.
 */
export function settleQuestions(
  context: LlmRunContext,
  prompt: StoredPrompt,
  result: LlmResult,
  filter: QuestionFilter,
): number {
  const counts: Record<string, number> = { samples: result.samples.length };
  const quota = context.quotas.get(prompt.dbId) ?? 0;
  let have = context.store.countByDatabase().get(prompt.dbId) ?? 0;
  const questions: (CheckedQuestion & { id: string })[] = [];
  for (const sample of result.samples) {
    const checked =
      sample.finishReason === 'error'
        ? { drop: 'no-question' as const }
        : sample.finishReason === 'length'
          ? // a question cut off at the token limit is not a question
            { drop: 'truncated' as const }
          : filter.check(sample.text);
    if ('drop' in checked) {
      counts[checked.drop] = (counts[checked.drop] ?? 0) + 1;
      continue;
    }
    if (have >= quota) {
      counts['over-quota'] = (counts['over-quota'] ?? 0) + 1;
      continue;
    }
    filter.remember(checked.question, checked.key);
    questions.push({ id: `${prompt.dbId}-q${prompt.index}-${sample.index}`, ...checked });
    have++;
  }
  const kept = context.store.completePrompt(prompt.id, prompt.dbId, questions, quota, counts);
  context.progress.genQ.done++;
  context.progress.genQ.samples += result.samples.length;
  context.progress.genQ.kept += kept;
  context.progress.genA.total += kept;
  context.progress.emit();
  return kept;
}

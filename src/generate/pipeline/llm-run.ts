import type { StoredPrompt } from '../../store/run-store.js';
import { answerQuestion, settleAnswer } from './gen-a.js';
import { askQuestions, createQuestionPrompt, settleQuestions } from './gen-q.js';
import { QuestionFilter } from './question-text.js';
import type { LlmRunContext } from './run-context.js';
import { settleInOrder } from './settle-in-order.js';
import { truncationWarnings } from './truncation.js';

/**
 * The LLM pipeline, in rounds (dataset-wise decomposition: conditions adapt between rounds):
 * finish stored prompts and questions left by a killed session, then repeat
 * `gen_q` for up to `promptsPerRound` new prompts -> `gen_a` + verify for the new questions, until
 * every source has its quota or has stopped giving new questions. Returns true when complete.
 * Model calls run concurrently; their results settle in prompt and question order
 * ({@link settleInOrder}), so the run's ids and files do not depend on when answers arrive.
 */
export async function runLlmPipeline(context: LlmRunContext): Promise<{ complete: boolean }> {
  const { store, config } = context;
  const filters = new Map<string, QuestionFilter>();
  const filterOf = (dbId: string) => {
    let filter = filters.get(dbId);
    if (!filter) {
      filter = new QuestionFilter(
        context.question.words,
        store.questions(dbId),
        config.generation.dropDemonstrationQuestions ? context.demonstrationKeys : new Set(),
        context.question.parse,
      );
      filters.set(dbId, filter);
    }
    return filter;
  };
  catchUpSamplers(context);
  const prompts = new Map(store.prompts().map((prompt) => [prompt.id, prompt]));
  context.progress.genQ.total = prompts.size;
  context.progress.genQ.done = [...prompts.values()].filter((prompt) => prompt.state === 'done').length;
  const states = store.countByState();
  context.progress.genA.total = states.question + states.accepted + states.rejected;
  context.progress.genA.done = states.accepted + states.rejected;
  context.progress.genA.accepted = states.accepted;
  context.progress.emit();
  const warned = new Set<string>();
  const maxTokens = { gen_q: config.generation.genQ.maxTokens, gen_a: config.generation.genA.maxTokens };
  for (let round = store.lastRound() + 1; ; round++) {
    const pending = store.prompts({ state: 'pending' });
    await settleInOrder(
      pending,
      config.generation.promptsPerRound,
      (prompt) => askQuestions(context, prompt),
      (prompt, result) => {
        settleQuestions(context, prompt, result, filterOf(prompt.dbId));
      },
      context.signal,
    );
    await settleInOrder(
      store.examples('question'),
      config.generation.concurrency,
      (example) =>
        answerQuestion(context, example, example.promptId ? prompts.get(example.promptId) : undefined),
      (example, answered) => settleAnswer(context, example, answered),
      context.signal,
    );
    await context.checkpoint?.();
    for (const line of truncationWarnings(store, maxTokens, warned)) context.notify?.(line);
    const created = planRound(context, round);
    if (created.length === 0) return { complete: quotasMet(context) };
    store.addPrompts(created);
    for (const prompt of store.prompts({ state: 'pending' })) prompts.set(prompt.id, prompt);
    context.progress.genQ.total += created.length;
    context.progress.emit();
  }
}

/** The prompts of the next round: databases short of their quota and not exhausted, round-robin. */
function planRound(context: LlmRunContext, round: number) {
  const { store, config } = context;
  const have = store.countByDatabase();
  const open = [...context.quotas].filter(
    ([dbId, quota]) =>
      (have.get(dbId) ?? 0) < quota && !exhausted(store.prompts({ dbId }), config.generation.maxIdlePrompts),
  );
  const created: ReturnType<typeof createQuestionPrompt>[] = [];
  const next = new Map(open.map(([dbId]) => [dbId, store.nextPromptIndex(dbId)]));
  // a database needing few questions gets few prompts: about one per n/4 questions still missing
  const budget = new Map(
    open.map(([dbId, quota]) => {
      const missing = quota - (have.get(dbId) ?? 0);
      return [dbId, Math.max(1, Math.ceil(missing / Math.max(1, config.generation.genQ.n / 4)))];
    }),
  );
  while (created.length < config.generation.promptsPerRound) {
    let added = false;
    for (const [dbId] of open) {
      if (created.length >= config.generation.promptsPerRound) break;
      if ((budget.get(dbId) ?? 0) <= 0) continue;
      budget.set(dbId, budget.get(dbId)! - 1);
      const index = next.get(dbId)!;
      next.set(dbId, index + 1);
      created.push(createQuestionPrompt(context, dbId, index, round));
      added = true;
    }
    if (!added) break;
  }
  return created;
}

/** True when every database holds its quota of questions (false when one ran out of new questions first). */
function quotasMet(context: LlmRunContext): boolean {
  const have = context.store.countByDatabase();
  return [...context.quotas].every(([dbId, quota]) => (have.get(dbId) ?? 0) >= quota);
}

/** True when the last `idle` prompts of a database all gave no new question. */
function exhausted(prompts: readonly StoredPrompt[], idle: number): boolean {
  const done = prompts.filter((prompt) => prompt.state === 'done');
  if (done.length < idle) return false;
  return done.slice(-idle).every((prompt) => (prompt.counts.kept ?? 0) === 0);
}

/**
 * After a resume, bring each condition sampler to where it was, replaying what an uninterrupted run
 * did: before the prompts of round r were drawn, every question of earlier rounds had been decided
 * and observed. So, round by round: observe the accepted examples of earlier rounds' prompts (in
 * question order), then draw once per prompt of the round (so new prompts continue the sequence).
 */
function catchUpSamplers(context: LlmRunContext): void {
  const prompts = context.store.prompts();
  const roundOf = new Map(prompts.map((prompt) => [prompt.id, prompt.round]));
  // accepted examples in question order; the questions of a round follow those of earlier rounds
  const accepted = context.store.examples('accepted').map((example) => ({
    dbId: example.dbId,
    round: example.promptId === null ? -1 : (roundOf.get(example.promptId) ?? -1),
    features: (example.record as { features?: Record<string, unknown> } | null)?.features,
  }));
  let observed = 0;
  for (const round of [...new Set(prompts.map((prompt) => prompt.round))].sort((a, b) => a - b)) {
    while (observed < accepted.length && accepted[observed]!.round < round) {
      const { dbId, features } = accepted[observed++]!;
      if (features) context.conditions(dbId)?.observe(features);
    }
    for (const prompt of prompts) if (prompt.round === round) context.conditions(prompt.dbId)?.next();
  }
  for (const { dbId, features } of accepted.slice(observed))
    if (features) context.conditions(dbId)?.observe(features);
}

import type { StoredPrompt } from '../../store/run-store.js';
import type { SqlFeatures } from '../../tasks/sql/features.js';
import { answerQuestion } from './gen-a.js';
import { createQuestionPrompt, runQuestionPrompt } from './gen-q.js';
import { mapConcurrent } from './map-concurrent.js';
import { QuestionFilter } from './question-text.js';
import type { LlmRunContext } from './run-context.js';
import { truncationWarnings } from './truncation.js';

/**
 * The LLM pipeline, in rounds (dataset-wise decomposition: conditions adapt between rounds):
 * finish stored prompts and questions left by a killed session, then repeat
 * `gen_q` for up to `promptsPerRound` new prompts -> `gen_a` + verify for the new questions, until
 * every database has its quota or has stopped giving new questions. `complete` is true only when
 * every quota is met. The output files are rewritten after each round.
 */
export async function runLlmPipeline(context: LlmRunContext): Promise<{ complete: boolean }> {
  const { store, config } = context;
  const filters = new Map<string, QuestionFilter>();
  const filterOf = (dbId: string) => {
    let filter = filters.get(dbId);
    if (!filter) {
      filter = new QuestionFilter(
        config.generation.questionWords,
        store.questionKeys(dbId),
        config.generation.dropDemonstrationQuestions ? context.demonstrationKeys : new Set(),
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
    // each prompt settles after the one before it (mapConcurrent starts them in order)
    let settled = Promise.resolve(true);
    await mapConcurrent(
      pending,
      config.generation.promptsPerRound,
      async (prompt) => {
        const before = settled;
        let done!: (ok: boolean) => void;
        settled = new Promise((resolve) => {
          done = resolve;
        });
        let ok = false;
        try {
          await runQuestionPrompt(context, prompt, filterOf(prompt.dbId), before);
          ok = await before;
        } finally {
          done(ok);
        }
      },
      context.signal,
    );
    await mapConcurrent(
      store.examples('question'),
      config.generation.concurrency,
      (example) =>
        answerQuestion(context, example, example.promptId ? prompts.get(example.promptId) : undefined),
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
 * After a resume, bring each condition sampler to where it was: draw once per stored prompt (so new
 * prompts continue the seeded sequence) and observe what was accepted.
 */
function catchUpSamplers(context: LlmRunContext): void {
  const prompts = context.store.prompts();
  for (const prompt of prompts) context.sampler(prompt.dbId)?.next();
  for (const example of context.store.examples('accepted')) {
    const features = (example.record as { features?: SqlFeatures } | null)?.features;
    if (features) context.sampler(example.dbId)?.observe(features);
  }
}

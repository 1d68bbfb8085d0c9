import { type ReviewCounts, reviewCounts } from './run-reviews.js';
import type { RunStore, UsageEntry } from './run-store.js';

/**
 * `stats.json` of a run directory (shape version 1; documented in docs/architecture.md, read by
 * `symgen report`). Counts come from `run.sqlite`, so they stay right across kills and resumes.
 */
export interface RunStats {
  readonly version: 1;
  readonly run: {
    readonly mode: 'llm' | 'programs-first';
    readonly task: string;
    /** Provider and model id, null for the offline generator. */
    readonly model: { readonly provider: string; readonly modelId: string } | null;
    readonly seed: number;
    /** Questions asked for, over all databases. */
    readonly count: number;
    /** True when every quota is met or its database ran out of new questions. */
    readonly complete: boolean;
    readonly sessions: readonly { startedAt: string; endedAt: string | null; resumed: boolean }[];
  };
  readonly stages: {
    readonly gen_q: {
      readonly prompts: number;
      readonly promptsDone: number;
      readonly samples: number;
      readonly kept: number;
      /** Samples not kept, by why: no-question, too-short, too-long, duplicate-exact, duplicate-normalised, demonstration, over-quota. */
      readonly dropped: Record<string, number>;
    };
    readonly gen_a: {
      readonly questions: number;
      readonly done: number;
      readonly candidates: number;
      readonly accepted: number;
      readonly rejected: number;
      /** Rejections by the verifier's reason (below-min-votes, no-executable, tie, ...). */
      readonly rejectedBy: Record<string, number>;
    };
  };
  readonly examples: {
    readonly total: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly pending: number;
    /** accepted / (accepted + rejected), 0 when none is decided. */
    readonly acceptRate: number;
    /**
     * Accepted examples by where they came from: the generator (`provenance.method`: `grammar`,
     * `programs-first`; the run's mode for a model's) and, where it says, the part of it
     * (`provenance.origin`: `grammar:demonstrations`, `grammar:builtin`).
     */
    readonly byOrigin: Record<string, number>;
  };
  readonly byDatabase: Record<
    string,
    { quota: number; questions: number; accepted: number; rejected: number }
  >;
  /**
   * The usage counters summed over the run's calls (`requests`: HTTP requests sent to the model, what
   * a rate limit counts; `truncated`: samples cut off at the token limit).
   */
  readonly usage: Omit<UsageEntry, 'stage' | 'durationMs'> & {
    /** Cost (US dollars, from the price table) and tokens per accepted example; null before one is accepted. */
    readonly perAccepted: {
      readonly costUsd: number;
      readonly tokens: number;
      readonly samples: number;
    } | null;
    readonly byStage: Record<
      string,
      {
        /** HTTP requests sent (top-ups, split calls and failed attempts included). */
        requests: number;
        promptTokens: number;
        completionTokens: number;
        cacheWriteTokens: number;
        costUsd: number;
        samples: number;
        /** Samples cut off at the token limit: counted here, never voted or kept. */
        truncated: number;
      }
    >;
  };
  readonly timings: {
    /** Sum of the sessions' wall-clock times. */
    readonly wallMs: number;
    /** Time spent in each stage's calls, summed over calls (calls overlap, so this can exceed wallMs). */
    readonly stageMs: Record<string, number>;
  };
  /** Coverage of the condition sampler (hardness, tables, clauses), when conditions were used. */
  readonly coverage?: unknown;
  /**
   * The target mix (hardness, clauses, tables) the generation aimed at, where it came from, what the
   * accepted examples have, and the divergence between the two.
   */
  readonly mix?: unknown;
  /** What reviewers decided (`symgen review`), once anyone did. */
  readonly review?: ReviewCounts;
}

/** Computes `stats.json` from the store. */
export function computeRunStats(
  store: RunStore,
  context: {
    mode: 'llm' | 'programs-first';
    task: string;
    model: { provider: string; modelId: string } | null;
    seed: number;
    count: number;
    quotas: ReadonlyMap<string, number>;
    complete: boolean;
    coverage?: unknown;
    mix?: unknown;
    currentSessionMs?: number;
  },
): RunStats {
  const prompts = store.prompts();
  const dropped: Record<string, number> = {};
  let samples = 0;
  let kept = 0;
  for (const prompt of prompts) {
    for (const [reason, count] of Object.entries(prompt.counts)) {
      if (reason === 'kept') kept += count;
      else if (reason === 'samples') samples += count;
      else dropped[reason] = (dropped[reason] ?? 0) + count;
    }
  }
  const examples = store.examples();
  const rejectedBy: Record<string, number> = {};
  const byDatabase: RunStats['byDatabase'] = {};
  for (const [dbId, quota] of context.quotas)
    byDatabase[dbId] = { quota, questions: 0, accepted: 0, rejected: 0 };
  let accepted = 0;
  let rejected = 0;
  const byOrigin: Record<string, number> = {};
  for (const example of examples) {
    byDatabase[example.dbId] ??= { quota: 0, questions: 0, accepted: 0, rejected: 0 };
    const entry = byDatabase[example.dbId]!;
    entry.questions++;
    if (example.state === 'accepted') {
      accepted++;
      entry.accepted++;
      const provenance = (example.record?.provenance ?? {}) as { method?: unknown; origin?: unknown };
      const method = typeof provenance.method === 'string' ? provenance.method : context.mode;
      const origin = typeof provenance.origin === 'string' ? `${method}:${provenance.origin}` : method;
      byOrigin[origin] = (byOrigin[origin] ?? 0) + 1;
    } else if (example.state === 'rejected') {
      rejected++;
      entry.rejected++;
      const reason = example.reason ?? 'unknown';
      rejectedBy[reason] = (rejectedBy[reason] ?? 0) + 1;
    }
  }
  const usageByStage = store.usageByStage();
  const usage = {
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    samples: 0,
    cachedSamples: 0,
    truncated: 0,
    byStage: {} as RunStats['usage']['byStage'],
  };
  const stageMs: Record<string, number> = {};
  // requests are counted as they are sent (a kill loses none, a resume served from the cache adds none)
  const attempts = store.attemptsByStage();
  const counted = Object.keys(attempts).length > 0;
  for (const [stage, entry] of Object.entries(usageByStage)) {
    stageMs[stage] = round(entry.durationMs);
    if (stage === 'verify') continue;
    const requests = counted ? (attempts[stage] ?? 0) : entry.requests;
    usage.requests += requests;
    usage.promptTokens += entry.promptTokens;
    usage.completionTokens += entry.completionTokens;
    usage.cachedTokens += entry.cachedTokens;
    usage.cacheWriteTokens += entry.cacheWriteTokens;
    usage.costUsd += entry.costUsd;
    usage.samples += entry.samples;
    usage.cachedSamples += entry.cachedSamples;
    usage.truncated += entry.truncated;
    usage.byStage[stage] = {
      requests,
      promptTokens: entry.promptTokens,
      completionTokens: entry.completionTokens,
      cacheWriteTokens: entry.cacheWriteTokens,
      costUsd: entry.costUsd,
      samples: entry.samples,
      truncated: entry.truncated,
    };
  }
  const sessions = store.sessions();
  const wallMs = sessions.reduce((sum, session, index) => {
    if (session.endedAt) return sum + (Date.parse(session.endedAt) - Date.parse(session.startedAt));
    // the running session, or one that was killed (its length is unknown: counted as 0)
    return sum + (index === sessions.length - 1 ? (context.currentSessionMs ?? 0) : 0);
  }, 0);
  const decided = accepted + rejected;
  // candidates of the decided questions, from their records: a question answered again after a
  // resume (from the cache) is counted once
  let genACandidates = 0;
  for (const example of examples) {
    const candidates = (example.record?.provenance as { gen_a?: { candidates?: unknown } } | undefined)?.gen_a
      ?.candidates;
    if (typeof candidates === 'number') genACandidates += candidates;
  }
  // samples the model gave that the run holds; answers served again from the cache add none
  if (context.mode === 'llm') usage.samples = store.storedSamples();
  const review = reviewCounts(store);
  return {
    version: 1,
    run: {
      mode: context.mode,
      task: context.task,
      model: context.model,
      seed: context.seed,
      count: context.count,
      complete: context.complete,
      sessions,
    },
    stages: {
      gen_q: {
        prompts: prompts.length,
        promptsDone: prompts.filter((prompt) => prompt.state === 'done').length,
        samples,
        kept,
        dropped,
      },
      gen_a: {
        questions: context.mode === 'llm' ? examples.length : 0,
        done: context.mode === 'llm' ? decided : 0,
        candidates: genACandidates,
        accepted: context.mode === 'llm' ? accepted : 0,
        rejected: context.mode === 'llm' ? rejected : 0,
        rejectedBy: context.mode === 'llm' ? rejectedBy : {},
      },
    },
    examples: {
      total: examples.length,
      accepted,
      rejected,
      pending: examples.length - decided,
      acceptRate: decided === 0 ? 0 : round(accepted / decided, 4),
      byOrigin: Object.fromEntries(Object.entries(byOrigin).sort(([a], [b]) => a.localeCompare(b))),
    },
    byDatabase,
    usage: {
      ...usage,
      costUsd: round(usage.costUsd, 6),
      perAccepted:
        accepted === 0
          ? null
          : {
              costUsd: round(usage.costUsd / accepted, 6),
              tokens: round((usage.promptTokens + usage.completionTokens) / accepted),
              samples: round(usage.samples / accepted, 2),
            },
    },
    timings: { wallMs: round(wallMs), stageMs },
    ...(context.coverage === undefined ? {} : { coverage: context.coverage }),
    ...(context.mix === undefined ? {} : { mix: context.mix }),
    ...(review.reviewed > 0 ? { review } : {}),
  };
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

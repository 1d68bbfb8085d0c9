/** Counters of a running `symgen generate`, passed to `onProgress` as they change. */
export interface GenerateProgress {
  readonly mode: 'llm' | 'programs-first';
  /** `gen_q`: prompts done of prompts created so far, questions kept, samples drawn. */
  readonly genQ: { done: number; total: number; kept: number; samples: number };
  /** `gen_a` + verify: questions decided of questions kept, accepted among them. */
  readonly genA: { done: number; total: number; accepted: number };
  /** Requests, tokens and cost of this session (cache hits cost nothing). */
  readonly usage: { requests: number; promptTokens: number; completionTokens: number; costUsd: number };
  /** Seconds since this session started. */
  readonly elapsedSeconds: number;
  /** Done counts found in the store when this session started (a resumed run), for rates. */
  readonly resumedAt: { genQ: number; genA: number };
}

/** Mutable progress with a throttle-free notifier; the display throttles. */
export function createProgressTracker(
  mode: GenerateProgress['mode'],
  usage: () => GenerateProgress['usage'],
  onProgress: ((progress: GenerateProgress) => void) | undefined,
) {
  const started = performance.now();
  const genQ = { done: 0, total: 0, kept: 0, samples: 0 };
  const genA = { done: 0, total: 0, accepted: 0 };
  let resumedAt: { genQ: number; genA: number } | undefined;
  return {
    genQ,
    genA,
    emit(): void {
      resumedAt ??= { genQ: genQ.done, genA: genA.done };
      onProgress?.({
        mode,
        genQ: { ...genQ },
        genA: { ...genA },
        usage: usage(),
        elapsedSeconds: (performance.now() - started) / 1000,
        resumedAt,
      });
    },
  };
}

export type ProgressTracker = ReturnType<typeof createProgressTracker>;

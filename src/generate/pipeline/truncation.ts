import type { RunStore } from '../../store/run-store.js';

const CONFIG_FIELD: Record<string, string> = {
  gen_q: 'generation.genQ.maxTokens',
  gen_a: 'generation.genA.maxTokens',
};

/**
 * The stages most of whose samples were cut off at the token limit, each as one line naming the
 * setting to raise (`already` holds stages reported before, so each is said once per session).
 */
export function truncationWarnings(
  store: RunStore,
  maxTokens: Readonly<Record<string, number | undefined>>,
  already: Set<string>,
): string[] {
  const lines: string[] = [];
  for (const [stage, entry] of Object.entries(store.usageByStage())) {
    if (already.has(stage) || !(stage in CONFIG_FIELD)) continue;
    if (entry.samples === 0 || entry.truncated * 2 <= entry.samples) continue;
    already.add(stage);
    const limit = maxTokens[stage];
    lines.push(
      `${entry.truncated} of ${entry.samples} ${stage} samples were cut off at the token limit${limit === undefined ? '' : ` (maxTokens ${limit})`} and do not count: raise ${CONFIG_FIELD[stage]}${limit === undefined ? '' : ` above ${limit}`}`,
    );
  }
  return lines;
}

/** Counts of one verify run. */
export interface VerifySummary {
  examples: number;
  accepted: number;
  rejected: number;
  candidates: number;
  /** Most candidates on one line (a `--min-votes` count above it rejects every line). */
  maxCandidates?: number;
  /** Rejections by reason. */
  reasons: Record<string, number>;
  /** Statements executed, after every cache. */
  executed: number;
  durationMs: number;
}

/** A summary with every count at zero, filled in as a file is verified. */
export function emptyVerifySummary(): VerifySummary {
  return { examples: 0, accepted: 0, rejected: 0, candidates: 0, reasons: {}, executed: 0, durationMs: 0 };
}

/** Add `counts` (one chunk's, one thread's) into `summary`. */
export function addCounts(summary: VerifySummary, counts: Omit<VerifySummary, 'durationMs'>): void {
  summary.examples += counts.examples;
  summary.accepted += counts.accepted;
  summary.rejected += counts.rejected;
  summary.candidates += counts.candidates;
  summary.maxCandidates = Math.max(summary.maxCandidates ?? 0, counts.maxCandidates ?? 0);
  summary.executed += counts.executed;
  for (const [reason, count] of Object.entries(counts.reasons))
    summary.reasons[reason] = (summary.reasons[reason] ?? 0) + count;
}

/** Count one verified record (its status and rejection reason) into `counts`. */
export function countRecord(
  counts: Omit<VerifySummary, 'durationMs'>,
  record: { readonly status: 'accepted' | 'rejected'; readonly reason?: string },
): void {
  counts.examples++;
  counts[record.status]++;
  if (record.reason) counts.reasons[record.reason] = (counts.reasons[record.reason] ?? 0) + 1;
}

/** Count the candidates of one input line (its parsed value; anything without a candidate array counts none). */
export function countCandidates(counts: Omit<VerifySummary, 'durationMs'>, value: unknown): void {
  const candidates = (value as { candidates?: unknown } | undefined)?.candidates;
  if (Array.isArray(candidates)) {
    counts.candidates += candidates.length;
    counts.maxCandidates = Math.max(counts.maxCandidates ?? 0, candidates.length);
  }
}

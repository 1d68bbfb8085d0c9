import type { DatasetRow } from './dataset-rows.js';

/** A result as a preference line shows it. */
export interface PairResult {
  /** `ok` for a result group; the failure status (`error`, `timeout`, ...) of a failed candidate. */
  readonly status: string;
  readonly votes?: number;
  readonly size?: number;
  readonly preview?: unknown;
  readonly error?: string;
}

/** One preference pair: `{prompt, chosen, rejected}` and what each program gave. */
export interface PreferencePair {
  readonly prompt: string;
  readonly chosen: string;
  readonly rejected: string;
  readonly id: string;
  readonly db_id?: string;
  readonly chosen_result: PairResult;
  readonly rejected_result: PairResult;
  /**
   * Where the rejected program comes from: `losing-group` (a result group the vote did not choose),
   * `reviewer-edit` (the program a reviewer replaced), `failed-candidate` (a sample that failed).
   */
  readonly rejected_from: 'losing-group' | 'reviewer-edit' | 'failed-candidate';
  /** The reviewer's decision on the line, when there is one. */
  readonly reviewed?: string;
}

interface Cluster {
  readonly votes?: number;
  readonly key?: string;
  readonly size?: number;
  readonly preview?: unknown;
  readonly programs?: readonly { readonly program?: string; readonly count?: number }[];
}

/**
 * Preference pairs of an accepted example, strongest first: the chosen program is the accepted one
 * (a reviewer's edit included); the rejected ones are the program a reviewer replaced, then the
 * most frequent program of each losing result group (most votes first), then candidates that
 * failed (when the line kept its candidates). At most `limit` pairs; none when the example had no
 * loser (every sample agreed).
 */
export function preferencePairs(row: DatasetRow, limit = 1): PreferencePair[] {
  const record = row.record;
  const clusters = (Array.isArray(record.clusters) ? record.clusters : []) as Cluster[];
  const review = record.review as
    | { status?: string; previous?: { program?: string }; result?: PairResult & { key?: string } }
    | undefined;
  const winner = clusters.find((cluster) => cluster.programs?.some((entry) => entry.program === row.program));
  const chosenResult: PairResult = review?.result
    ? resultOf(review.result)
    : winner
      ? clusterResult(winner)
      : { status: 'ok', ...(record.result === undefined ? {} : { preview: record.result }) };
  const chosenKey = review?.result?.key ?? winner?.key;
  const rejected: { program: string; result: PairResult; from: PreferencePair['rejected_from'] }[] = [];
  const seen = new Set<string>([row.program]);
  const previous = review?.previous?.program;
  if (previous && !seen.has(previous)) {
    const group = clusters.find((cluster) => cluster.programs?.some((entry) => entry.program === previous));
    if (!group || group.key !== chosenKey) {
      seen.add(previous);
      rejected.push({
        program: previous,
        result: group ? clusterResult(group) : { status: 'ok' },
        from: 'reviewer-edit',
      });
    }
  }
  const losers = clusters
    .filter((cluster) => cluster.key !== chosenKey && cluster !== winner)
    .sort((left, right) => (right.votes ?? 0) - (left.votes ?? 0));
  for (const cluster of losers) {
    const best = [...(cluster.programs ?? [])]
      .filter((entry): entry is { program: string; count?: number } => typeof entry.program === 'string')
      .sort((left, right) => (right.count ?? 1) - (left.count ?? 1))[0];
    if (!best || seen.has(best.program)) continue;
    seen.add(best.program);
    rejected.push({ program: best.program, result: clusterResult(cluster), from: 'losing-group' });
  }
  const candidates = (Array.isArray(record.candidates) ? record.candidates : []) as {
    program?: unknown;
    status?: unknown;
    error?: unknown;
  }[];
  for (const candidate of candidates) {
    if (typeof candidate.program !== 'string' || candidate.status === 'ok' || seen.has(candidate.program))
      continue;
    seen.add(candidate.program);
    rejected.push({
      program: candidate.program,
      result: {
        status: typeof candidate.status === 'string' ? candidate.status : 'error',
        ...(typeof candidate.error === 'string' ? { error: candidate.error } : {}),
      },
      from: 'failed-candidate',
    });
  }
  const reviewed = typeof review?.status === 'string' ? review.status : undefined;
  return rejected.slice(0, limit).map((entry) => ({
    prompt: row.question,
    chosen: row.program,
    rejected: entry.program,
    id: row.id,
    ...(row.dbId ? { db_id: row.dbId } : {}),
    chosen_result: chosenResult,
    rejected_result: entry.result,
    rejected_from: entry.from,
    ...(reviewed ? { reviewed } : {}),
  }));
}

function clusterResult(cluster: Cluster): PairResult {
  return {
    status: 'ok',
    ...(cluster.votes === undefined ? {} : { votes: cluster.votes }),
    ...(cluster.size === undefined ? {} : { size: cluster.size }),
    ...(cluster.preview === undefined ? {} : { preview: cluster.preview }),
  };
}

function resultOf(result: PairResult): PairResult {
  return {
    status: result.status,
    ...(result.size === undefined ? {} : { size: result.size }),
    ...(result.preview === undefined ? {} : { preview: result.preview }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

import type { ExecutionResult } from '../tasks/spec.js';

/** How votes are counted. */
export type CountMode = 'samples' | 'distinct';

/** How a tie between the largest groups is settled. */
export type TieBreak = 'reject' | 'logprob';

/** Settings of the vote. */
export interface VoteOptions {
  /**
   * Votes the winning group needs: a whole number from 1 up, or a fraction in (0, 1) of the votes
   * cast (all samples in `samples` mode, failures included; the executable distinct programs in
   * `distinct` mode, as SymGen does).
   */
  readonly minVotes: number;
  /**
   * `samples` (default): every sample is a vote, so duplicates count (self-consistency).
   * `distinct`: SymGen's filter (HKUNLP/SymGen src/filters/filter_tool.py, the gen_a-mv steps):
   * adjacent duplicate programs are merged (keeping the largest log-probability), so the count
   * depends on candidate order; failures are dropped; a single executable program left is accepted
   * unvoted; otherwise the largest groups by result need `minVotes` (a fraction counts the
   * executable programs), and the candidate with the highest log-probability among the largest
   * groups is chosen, the first of equals (numpy's argmax), so `tie: 'logprob'` settles a tie this
   * way, with or without log-probabilities; `tie: 'reject'` still rejects one.
   */
  readonly count: CountMode;
  /** `logprob`: among tied groups take the one with the highest mean log-probability, if all have one. */
  readonly tie: TieBreak;
  /** `reject`: a winning group whose result is empty rejects the example. */
  readonly emptyResult: 'keep' | 'reject';
}

/** One sample after extraction and execution. */
export interface SampleOutcome {
  /** The extracted program, or null when the text held none. */
  readonly program: string | null;
  /** The cheap normal form of the program (null with it). */
  readonly textKey: string | null;
  readonly logprob?: number | undefined;
  readonly result?: ExecutionResult | undefined;
  /**
   * Why the task's static check flags the program (`type-trap`), when it does: a flagged sample ran
   * but cannot win; it counts as a failure under this reason.
   */
  readonly flag?: string | undefined;
}

export interface ClusterProgram {
  readonly program: string;
  readonly normalised?: string;
  readonly count: number;
  readonly logprob?: number;
}

/** A group of samples whose results are equal. */
export interface Cluster {
  readonly votes: number;
  readonly key: string;
  readonly size?: number;
  readonly preview?: unknown;
  readonly meanLogprob?: number;
  readonly programs: ClusterProgram[];
  /** Sanity checks this group failed (with checks on). */
  readonly flaws?: readonly string[];
  /** The group's score when the task scores groups (CodeT: programs x generated asserts passed). */
  readonly score?: number;
}

/** A task's score of a result group (`TaskExtras.score`); the vote ranks groups by it, then by votes. */
export type GroupScore = (key: string, votes: number) => number;

export type RejectionReason =
  | 'no-candidates'
  | 'no-program'
  | 'no-executable'
  | 'below-min-votes'
  | 'tie'
  | 'empty-result'
  | 'type-trap'
  /** A sanity check's name (`limit-tie`, `duplicate-rows`, ...): every group with votes had that flaw. */
  | (string & {});

export interface VoteDecision {
  readonly status: 'accepted' | 'rejected';
  readonly reason?: RejectionReason;
  /** The chosen program (also given for some rejections: the best program of the largest group). */
  readonly program?: string;
  readonly normalised?: string;
  /** Vote share of the winning group. */
  readonly confidence: number;
  readonly votes: number;
  readonly total: number;
  readonly clusters: Cluster[];
  /** Samples that produced no result, by why (`no-program`, `error`, `timeout`, `refused`, `crash`). */
  readonly failures: Record<string, number>;
  /** A few distinct error messages, for a reader to see why candidates failed. */
  readonly errors: string[];
}

interface Ballot {
  readonly sample: SampleOutcome & { program: string; textKey: string; result: ExecutionResult };
}

/**
 * Group samples by result and vote. Pure: the same outcomes always give the same decision. With
 * `flaws` (result key to the sanity checks its group failed), only flawless groups can win: the vote
 * is taken among them (when the largest group is flawed, among those with at least half its votes),
 * and when none is left the question is rejected with the largest group's flaw.
 */
export function vote(
  samples: readonly SampleOutcome[],
  options: VoteOptions,
  flaws?: ReadonlyMap<string, readonly string[]>,
  score?: GroupScore,
): VoteDecision {
  const failures: Record<string, number> = {};
  const errors = new Set<string>();
  const ballots: Ballot[] = [];
  for (const sample of countedSamples(samples, options.count)) {
    const status = sample.program === null ? 'no-program' : (sample.flag ?? sample.result?.status ?? 'error');
    if (status !== 'ok' || !sample.result?.key) {
      failures[status] = (failures[status] ?? 0) + 1;
      if (sample.result?.error && errors.size < 5) errors.add(sample.result.error);
      continue;
    }
    ballots.push({ sample: sample as Ballot['sample'] });
  }
  const total = options.count === 'samples' ? samples.length : ballots.length;
  const base = { failures, errors: [...errors] };
  if (samples.length === 0)
    return {
      ...base,
      status: 'rejected',
      reason: 'no-candidates',
      confidence: 0,
      votes: 0,
      total,
      clusters: [],
    };
  if (failures['no-program'] === samples.length) {
    return {
      ...base,
      status: 'rejected',
      reason: 'no-program',
      confidence: 0,
      votes: 0,
      total,
      clusters: [],
    };
  }
  const grouped = score
    ? cluster(ballots)
        .map((group) => ({ ...group, score: score(group.key, group.votes) }))
        .sort((a, b) => b.score - a.score || b.votes - a.votes)
    : cluster(ballots);
  if (!grouped[0])
    return {
      ...base,
      status: 'rejected',
      reason: 'no-executable',
      confidence: 0,
      votes: 0,
      total,
      clusters: grouped,
    };
  // SymGen's distinct counting has its own rule; with checks, the sample rule below decides.
  if (options.count === 'distinct' && !flaws) return voteDistinct(ballots, grouped, options, base);
  const clusters = flaws
    ? grouped.map((group) => {
        const found = flaws.get(group.key);
        return found && found.length > 0 ? { ...group, flaws: found } : group;
      })
    : grouped;
  // A flawless group can take the place of a flawed larger one only with at least half its votes: a
  // small flawless minority beside a flawed majority is more likely a third answer than the repair.
  const largest = clusters[0]?.votes ?? 0;
  const eligible = flaws
    ? clusters.filter(
        (group) => !group.flaws && (clusters[0]?.flaws === undefined || group.votes * 2 >= largest),
      )
    : clusters;
  const top = eligible[0];
  if (!top) {
    const flaw = clusters[0]?.flaws?.[0];
    return {
      ...base,
      status: 'rejected',
      reason: flaw ?? 'no-executable',
      confidence: 0,
      votes: 0,
      total,
      clusters,
    };
  }
  const winner = settleTie(eligible, options.tie);
  const chosen = winner ?? top;
  const best = representative(chosen);
  const decided = {
    ...base,
    program: best.program,
    ...(best.normalised ? { normalised: best.normalised } : {}),
    confidence: total > 0 ? chosen.votes / total : 0,
    votes: chosen.votes,
    total,
    clusters,
  };
  if (!winner) return { ...decided, status: 'rejected', reason: 'tie' };
  const needed = options.minVotes >= 1 ? options.minVotes : options.minVotes * total;
  if (winner.votes < needed) return { ...decided, status: 'rejected', reason: 'below-min-votes' };
  if (options.emptyResult === 'reject' && winner.key === 'empty')
    return { ...decided, status: 'rejected', reason: 'empty-result' };
  return { ...decided, status: 'accepted' };
}

/**
 * The decision of SymGen's filter on the executable distinct programs (`ballots`, grouped into
 * `clusters`): `_vote_single` with `filter_entry` true, then `by_max_logprob`. A single program is
 * not voted on; the candidates of every largest group stay and the first with the highest
 * log-probability is chosen. test/symgen-filter-cases.json holds cases computed with SymGen's code.
 */
function voteDistinct(
  ballots: readonly Ballot[],
  clusters: readonly Cluster[],
  options: VoteOptions,
  base: { failures: Record<string, number>; errors: string[] },
): VoteDecision {
  const total = ballots.length;
  const most = clusters[0]!.votes;
  const largest = new Set(clusters.filter((candidate) => candidate.votes === most).map((c) => c.key));
  let best: Ballot | undefined;
  for (const ballot of ballots) {
    if (!largest.has(ballot.sample.result.key!)) continue;
    if (best === undefined || logprobOf(ballot) > logprobOf(best)) best = ballot;
  }
  const chosen = clusters.find((candidate) => candidate.key === best!.sample.result.key)!;
  const { program, result } = best!.sample;
  const decided = {
    ...base,
    program,
    ...(result.normalised ? { normalised: result.normalised } : {}),
    confidence: chosen.votes / total,
    votes: chosen.votes,
    total,
    clusters: [...clusters],
  };
  if (total > 1) {
    if (largest.size > 1 && options.tie === 'reject')
      return { ...decided, status: 'rejected', reason: 'tie' };
    const needed = options.minVotes >= 1 ? options.minVotes : options.minVotes * total;
    if (chosen.votes < needed) return { ...decided, status: 'rejected', reason: 'below-min-votes' };
  }
  if (options.emptyResult === 'reject' && chosen.key === 'empty')
    return { ...decided, status: 'rejected', reason: 'empty-result' };
  return { ...decided, status: 'accepted' };
}

function logprobOf(ballot: Ballot): number {
  return ballot.sample.logprob ?? Number.NEGATIVE_INFINITY;
}

/** In `distinct` mode, merge adjacent samples with the same program, keeping the highest log-probability (SymGen's dedup). */
function countedSamples(samples: readonly SampleOutcome[], mode: CountMode): SampleOutcome[] {
  if (mode === 'samples') return [...samples];
  const merged: SampleOutcome[] = [];
  for (const sample of samples) {
    const last = merged[merged.length - 1];
    if (last && last.program !== null && last.textKey === sample.textKey) {
      if ((sample.logprob ?? Number.NEGATIVE_INFINITY) > (last.logprob ?? Number.NEGATIVE_INFINITY)) {
        merged[merged.length - 1] = { ...last, logprob: sample.logprob };
      }
      continue;
    }
    merged.push(sample);
  }
  return merged;
}

function cluster(ballots: readonly Ballot[]): Cluster[] {
  const groups = new Map<string, Ballot[]>();
  for (const ballot of ballots) {
    const key = ballot.sample.result.key!;
    const group = groups.get(key);
    if (group) group.push(ballot);
    else groups.set(key, [ballot]);
  }
  const clusters = [...groups.entries()].map(([key, members]) => toCluster(key, members));
  // Stable: equal vote counts keep first-seen order, so decisions do not depend on Map internals.
  return clusters.sort((a, b) => b.votes - a.votes);
}

function toCluster(key: string, members: readonly Ballot[]): Cluster {
  const programs = new Map<
    string,
    { program: string; normalised?: string; count: number; logprob?: number }
  >();
  const logprobs: number[] = [];
  for (const { sample } of members) {
    if (sample.logprob !== undefined) logprobs.push(sample.logprob);
    const entry = programs.get(sample.textKey);
    if (entry) {
      entry.count++;
      if (sample.logprob !== undefined && (entry.logprob === undefined || sample.logprob > entry.logprob))
        entry.logprob = sample.logprob;
    } else {
      programs.set(sample.textKey, {
        program: sample.program,
        ...(sample.result.normalised ? { normalised: sample.result.normalised } : {}),
        count: 1,
        ...(sample.logprob === undefined ? {} : { logprob: sample.logprob }),
      });
    }
  }
  const result = members[0]!.sample.result;
  return {
    votes: members.length,
    key,
    ...(result.size === undefined ? {} : { size: result.size }),
    ...(result.preview === undefined ? {} : { preview: result.preview }),
    ...(logprobs.length === members.length
      ? { meanLogprob: logprobs.reduce((a, b) => a + b, 0) / logprobs.length }
      : {}),
    programs: [...programs.values()],
  };
}

/** The winning cluster, or undefined when the largest clusters tie and the tie cannot be settled. */
function settleTie(clusters: readonly Cluster[], tie: TieBreak): Cluster | undefined {
  const top = clusters[0]!;
  const tied = clusters.filter((candidate) =>
    top.score === undefined ? candidate.votes === top.votes : candidate.score === top.score,
  );
  if (tied.length === 1) return top;
  if (tie !== 'logprob' || tied.some((candidate) => candidate.meanLogprob === undefined)) return undefined;
  const sorted = [...tied].sort((a, b) => b.meanLogprob! - a.meanLogprob!);
  return sorted[0]!.meanLogprob === sorted[1]!.meanLogprob ? undefined : sorted[0];
}

/** Inside a group: highest log-probability when given, else the most frequent program, else the shortest. */
function representative(chosen: Cluster): ClusterProgram {
  return [...chosen.programs].sort((a, b) => {
    if (a.logprob !== undefined || b.logprob !== undefined) {
      const difference = (b.logprob ?? Number.NEGATIVE_INFINITY) - (a.logprob ?? Number.NEGATIVE_INFINITY);
      if (difference !== 0) return difference;
    }
    if (b.count !== a.count) return b.count - a.count;
    return a.program.length - b.program.length;
  })[0]!;
}

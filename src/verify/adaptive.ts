/**
 * Adaptive sampling: when to stop reading (or requesting) candidates of one question.
 *
 * The stopping rule, checked after the first `first` candidates and then after every `step` more,
 * with `budget` (the full number of candidates) as the cap:
 *
 * 1. **Settled (exact).** The outcome under the full budget can no longer change, whatever the
 *    remaining `r = budget - read` candidates return: the leading group leads the runner-up by more
 *    than `r` (so nobody, not even a new group, can catch it) and already has the votes it needs;
 *    or no group, even taking all `r` remaining votes, can reach `minVotes`.
 * 2. **Posterior.** Let `c` be the leading group's votes among the `read` candidates (failures are
 *    read too). Its share of the remaining candidates has the Beta posterior `Beta(c + 1, read - c + 1)`
 *    (uniform prior), so the number `X` of the `r` remaining votes it gets is Beta-binomial. Assume the
 *    worst: every other remaining vote goes to the runner-up. When the leader wins now, stop if
 *    `P(it still leads strictly and reaches minVotes under the full budget) >= confidence`. When no
 *    group wins now (below `minVotes`), stop if the union bound over every group, and one new group,
 *    of `P(that group reaches minVotes under the full budget)` is at most `1 - confidence`. A tie
 *    between the largest groups never stops early except by rule 1.
 *
 * Pure: the same votes always give the same answer, so runs stay deterministic.
 */

import { CHARACTERS_PER_TOKEN } from '../llm/token-estimate.js';

/** Settings of adaptive sampling. */
export interface AdaptiveRule {
  /** Candidates read before the first check (the first round of requests). */
  readonly first: number;
  /** Candidates read between checks (each later round). */
  readonly step: number;
  /** Posterior probability that the outcome under the full budget is the one seen now. */
  readonly confidence: number;
}

export const ADAPTIVE_DEFAULTS: AdaptiveRule = { first: 4, step: 2, confidence: 0.95 };

/** Why reading stopped. */
export type StopReason = 'settled' | 'posterior' | 'budget';

export interface StopCheck {
  readonly stop: boolean;
  readonly reason?: StopReason;
  /** The posterior probability that the outcome stays as it is (1 when settled). */
  readonly probability: number;
}

/**
 * Whether to stop after `read` of `budget` candidates, given the vote counts of the result groups
 * (any order) and `minVotes` (a count from 1, or a fraction of the candidates read).
 */
export function checkStop(
  groupVotes: readonly number[],
  read: number,
  budget: number,
  minVotes: number,
  confidence: number,
): StopCheck {
  const remaining = budget - read;
  if (remaining <= 0) return { stop: true, reason: 'budget', probability: 1 };
  const counts = [...groupVotes].sort((a, b) => b - a);
  const leader = counts[0] ?? 0;
  const runnerUp = counts[1] ?? 0;
  const neededNow = needed(minVotes, read);
  const neededFull = needed(minVotes, budget);
  // 1. Exact: the leader cannot be caught and has its votes, or nobody can reach min votes.
  if (leader - runnerUp > remaining && leader >= neededFull)
    return { stop: true, reason: 'settled', probability: 1 };
  if (leader + remaining < neededFull) return { stop: true, reason: 'settled', probability: 1 };
  // 2. Posterior.
  if (leader > runnerUp && leader >= neededNow) {
    // X remaining votes to the leader, the other remaining - X all to the runner-up.
    const toLead = Math.floor((runnerUp + remaining - leader) / 2) + 1;
    const atLeast = Math.max(0, toLead, Math.ceil(neededFull - leader));
    const probability = betaBinomialTail(atLeast, remaining, leader + 1, read - leader + 1);
    return probability >= confidence
      ? { stop: true, reason: 'posterior', probability }
      : { stop: false, probability };
  }
  if (leader >= neededNow) return { stop: false, probability: 0 }; // a tie among groups with enough votes
  let change = 0;
  for (const count of [...counts, 0]) {
    const short = Math.ceil(neededFull - count);
    change += betaBinomialTail(Math.max(0, short), remaining, count + 1, read - count + 1);
  }
  const probability = Math.max(0, 1 - change);
  return probability >= confidence
    ? { stop: true, reason: 'posterior', probability }
    : { stop: false, probability };
}

/**
 * Read candidates adaptively: `decideAt(read)` votes on the first `read` of `budget` candidates and
 * returns the result groups' vote counts; reading stops at the first check where the rule says so.
 * Returns how many were read and why reading stopped.
 */
export function readAdaptively(
  budget: number,
  rule: AdaptiveRule,
  minVotes: number,
  groupVotesAt: (read: number) => readonly number[],
): { read: number; reason: StopReason } {
  let read = Math.min(rule.first, budget);
  for (;;) {
    const check = checkStop(groupVotesAt(read), read, budget, minVotes, rule.confidence);
    if (check.stop) return { read, reason: check.reason! };
    read = Math.min(budget, read + rule.step);
  }
}

/**
 * How many candidates the next round asks for, after `read` of `budget`, given the vote counts so
 * far. Without a prompt price (`promptSamples` 0: no price known, a local model) it is the rule's
 * step. When every round is a new request that pays for its prompt again, `promptSamples` is that
 * price counted in completion samples, and the round size `k` minimises the expected price of
 * finishing the question, one round ahead:
 *
 *   E(k) = promptSamples + k + (1 - P(stop after k more)) * (promptSamples + remaining - k)
 *
 * (if that round does not settle it, the rest is read in one more round). `P(stop after k more)` is
 * the stopping rule applied to the counts after the leader receives `X` of the `k` new votes, `X`
 * Beta-binomial as in {@link checkStop}, and every other vote going to the runner-up (the worst case
 * the rule assumes too), with `k` at least the rule's step. Cheap prompts give small rounds; dear
 * ones read the rest at once unless the next few samples are likely to settle the question. Pure:
 * the same votes give the same size.
 */
export function nextRoundSize(
  groupVotes: readonly number[],
  read: number,
  budget: number,
  minVotes: number,
  rule: AdaptiveRule,
  promptSamples = 0,
): number {
  const remaining = budget - read;
  if (remaining <= 0) return 0;
  if (!(promptSamples > 0)) return Math.min(rule.step, remaining);
  let best = remaining;
  let bestCost = promptSamples + remaining;
  // never below the step: checking more often than the rule was calibrated for stops more questions
  // on a passing lead (optional stopping)
  for (let k = rule.step; k < remaining; k++) {
    const unsettled = 1 - stopProbability(groupVotes, read, budget, minVotes, rule.confidence, k);
    const cost = promptSamples + k + unsettled * (promptSamples + remaining - k);
    if (cost < bestCost - 1e-9) {
      best = k;
      bestCost = cost;
    }
  }
  return best;
}

/** P(the rule stops after `k` more candidates), under the worst-case split of {@link nextRoundSize}. */
export function stopProbability(
  groupVotes: readonly number[],
  read: number,
  budget: number,
  minVotes: number,
  confidence: number,
  k: number,
): number {
  const counts = [...groupVotes].sort((a, b) => b - a);
  const leader = counts[0] ?? 0;
  const runnerUp = counts[1] ?? 0;
  const rest = counts.slice(2);
  const a = leader + 1;
  const b = read - leader + 1;
  const base = logBeta(a, b);
  let probability = 0;
  for (let x = 0; x <= k; x++) {
    const weight = Math.exp(logChoose(k, x) + logBeta(x + a, k - x + b) - base);
    if (checkStop([leader + x, runnerUp + k - x, ...rest], read + k, budget, minVotes, confidence).stop)
      probability += weight;
  }
  return Math.min(1, probability);
}

/**
 * A request's prompt price in completion samples (see {@link nextRoundSize}): tokens estimated as
 * characters / 4 on both sides, as the budget does, from text alone (so a resumed run, whose answers
 * come from the cache with no usage, rounds the same way). 0 when either price is unknown or free.
 */
export function promptPriceInSamples(
  promptChars: number,
  sampleChars: readonly number[],
  price: { readonly inputPerMillion: number; readonly outputPerMillion: number } | undefined,
): number {
  if (!price || price.inputPerMillion <= 0 || price.outputPerMillion <= 0 || sampleChars.length === 0)
    return 0;
  const sampleTokens = Math.max(
    1,
    sampleChars.reduce((sum, chars) => sum + chars, 0) / sampleChars.length / CHARACTERS_PER_TOKEN,
  );
  return (
    ((promptChars / CHARACTERS_PER_TOKEN) * price.inputPerMillion) / (sampleTokens * price.outputPerMillion)
  );
}

/** The checkpoints of a rule under a budget: first, first + step, ..., budget. */
export function checkpoints(budget: number, rule: AdaptiveRule): number[] {
  const out: number[] = [];
  for (let read = Math.min(rule.first, budget); ; read = Math.min(budget, read + rule.step)) {
    out.push(read);
    if (read >= budget) return out;
  }
}

function needed(minVotes: number, total: number): number {
  return minVotes >= 1 ? minVotes : minVotes * total;
}

/** P(X >= k) for X ~ Beta-binomial(n, a, b). */
export function betaBinomialTail(k: number, n: number, a: number, b: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const base = logBeta(a, b);
  let sum = 0;
  for (let x = k; x <= n; x++) sum += Math.exp(logChoose(n, x) + logBeta(x + a, n - x + b) - base);
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7), enough for vote counts. */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  for (let i = 0; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

import { describe, expect, it } from 'vitest';
import {
  ADAPTIVE_DEFAULTS,
  betaBinomialTail,
  checkpoints,
  checkStop,
  nextRoundSize,
  promptPriceInSamples,
  readAdaptively,
  stopProbability,
} from './adaptive.js';
import { type SampleOutcome, type VoteOptions, vote } from './vote.js';

/** Rounds of five, as a generate run might use to send fewer requests. */
const FIVE = { first: 5, step: 5, confidence: 0.95 };
const voteOptions: VoteOptions = { minVotes: 1, count: 'samples', tie: 'reject', emptyResult: 'keep' };

/** A sequence of candidate results: a letter is a result group, `-` a failed candidate. */
function samples(sequence: string): SampleOutcome[] {
  return [...sequence].map((letter) =>
    letter === '-'
      ? { program: 'x', textKey: 'x', result: { status: 'error', error: 'bad', durationMs: 0 } }
      : { program: letter, textKey: letter, result: { status: 'ok', key: letter, durationMs: 0 } },
  );
}

function groupVotes(sequence: string, read: number, minVotes = 1): number[] {
  return vote(samples(sequence.slice(0, read)), { ...voteOptions, minVotes }).clusters.map(
    (cluster) => cluster.votes,
  );
}

function adaptive(sequence: string, minVotes = 1, rule = ADAPTIVE_DEFAULTS) {
  const { read, reason } = readAdaptively(sequence.length, rule, minVotes, (count) =>
    groupVotes(sequence, count, minVotes),
  );
  const early = vote(samples(sequence.slice(0, read)), { ...voteOptions, minVotes });
  const full = vote(samples(sequence), { ...voteOptions, minVotes });
  return { read, reason, early, full };
}

describe('the stopping rule', () => {
  it('Beta-binomial tails are those of a uniform count under a uniform prior', () => {
    for (let k = 0; k <= 10; k++) expect(betaBinomialTail(k, 10, 1, 1)).toBeCloseTo((11 - k) / 11, 10);
    expect(betaBinomialTail(11, 10, 3, 2)).toBe(0);
  });

  it('checks after the first round and every step, up to the budget', () => {
    expect(checkpoints(20, FIVE)).toEqual([5, 10, 15, 20]);
    expect(checkpoints(20, ADAPTIVE_DEFAULTS)).toEqual([4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(checkpoints(7, { first: 5, step: 3, confidence: 0.9 })).toEqual([5, 7]);
    expect(checkpoints(3, FIVE)).toEqual([3]);
  });

  it('sizes a round by the price of its prompt in samples: the step when free, the rest at once when dear and unsettled', () => {
    const size = (votes: number[], promptSamples: number) =>
      nextRoundSize(
        votes,
        votes.reduce((sum, count) => sum + count, 0),
        20,
        3,
        ADAPTIVE_DEFAULTS,
        promptSamples,
      );
    // no price: the rule's own step, and never past the budget
    expect(size([3, 1], 0)).toBe(2);
    expect(nextRoundSize([10, 9], 19, 20, 3, ADAPTIVE_DEFAULTS, 0)).toBe(1);
    expect(nextRoundSize([10, 10], 20, 20, 3, ADAPTIVE_DEFAULTS, 5)).toBe(0);
    // an even split is unlikely to settle soon: a dear prompt reads the rest in one round
    expect(size([2, 2], 40)).toBe(16);
    // the dearer the prompt, the larger the round, for the same votes
    for (const votes of [
      [3, 1],
      [2, 2],
      [4, 1, 1],
      [2, 1, 1],
      [5, 3],
    ]) {
      const sizes = [0.5, 1, 3, 6, 10, 20, 40].map((price) => size(votes, price));
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    }
    // reading the rest always settles the question
    expect(stopProbability([3, 1], 4, 20, 3, 0.95, 16)).toBeCloseTo(1, 12);
    for (const k of [1, 2, 4, 8]) {
      const probability = stopProbability([4, 1, 1], 6, 20, 3, 0.95, k);
      expect(probability).toBeGreaterThanOrEqual(0);
      expect(probability).toBeLessThanOrEqual(1);
    }
    expect(stopProbability([2, 2], 4, 20, 3, 0.95, 1)).toBe(0);
    // 1,000 prompt characters (250 tokens) at $0.15/M against 40-character (10-token) samples at $0.60/M
    const price = { inputPerMillion: 0.15, outputPerMillion: 0.6 };
    expect(promptPriceInSamples(1000, [40, 40, 40], price)).toBeCloseTo(6.25, 10);
    expect(promptPriceInSamples(1000, [20, 60], price)).toBeCloseTo(6.25, 10);
    expect(promptPriceInSamples(1000, [], price)).toBe(0);
    expect(promptPriceInSamples(1000, [40], undefined)).toBe(0);
    expect(promptPriceInSamples(1000, [40], { inputPerMillion: 0, outputPerMillion: 0 })).toBe(0);
    // an empty sample counts as one token, not as a free one
    expect(promptPriceInSamples(1000, [0], price)).toBeCloseTo(62.5, 10);
  });

  it('stops a unanimous question after the first round, by the posterior', () => {
    const run = adaptive('AAAAAAAAAAAAAAAAAAAA', 1, FIVE);
    expect(run).toMatchObject({ read: 5, reason: 'posterior' });
    expect(run.early).toMatchObject({ status: 'accepted', program: 'A', total: 5 });
    expect(adaptive('AAAAAAAAAAAAAAAAAAAA')).toMatchObject({ read: 4, reason: 'posterior' });
    expect(checkStop([5], 5, 20, 1, 0.95).probability).toBeGreaterThan(0.95);
  });

  it('stops exactly when the remaining candidates cannot change the outcome', () => {
    // 5 of 8 read, all A: B could get at most 3.
    expect(checkStop([5], 5, 8, 1, 0.999999)).toMatchObject({ stop: true, reason: 'settled' });
    // 4 to 0 with 4 left: B could tie, so only the posterior may stop it.
    expect(checkStop([4], 5, 9, 1, 0.999999)).toMatchObject({ stop: false });
    // min votes 18 of 20: after 2 of 5, no group can reach it.
    expect(checkStop([2, 1, 1], 5, 20, 18, 0.999999)).toMatchObject({ stop: true, reason: 'settled' });
  });

  it('reads on when the leader is close, and stops once it pulls away', () => {
    const run = adaptive('AABBAAAAAAAAAAAAAAAA', 1, FIVE);
    expect(checkStop(groupVotes('AABBA', 5), 5, 20, 1, 0.95).stop).toBe(false);
    expect(run.read).toBe(10);
    expect(run.early).toMatchObject({ status: 'accepted', program: 'A' });
  });

  it('never stops a tie early, except when it is settled', () => {
    expect(checkStop([2, 2, 1], 5, 20, 1, 0.5)).toMatchObject({ stop: false, probability: 0 });
    const run = adaptive('ABABCABABABABABABABA', 1, FIVE);
    expect(run.read).toBe(20);
    expect(run.reason).toBe('budget');
    expect(run.early).toEqual(run.full);
  });

  it('stops a hopeless question early: no group can plausibly reach min votes', () => {
    const run = adaptive('ABCDEFGHIJKLMNOPQRST', 10, FIVE);
    expect(run).toMatchObject({ read: 10, reason: 'posterior' });
    expect(adaptive('ABCDEFGHIJKLMNOPQRST', 12, FIVE)).toMatchObject({ read: 10, reason: 'settled' });
    // Every group has one vote: a tie, below min votes either way.
    expect(run.early).toMatchObject({ status: 'rejected', reason: 'tie' });
    expect(run.full).toMatchObject({ status: 'rejected', reason: 'tie' });
  });

  it('counts failures as read candidates that vote for nobody', () => {
    expect(checkStop(groupVotes('--A--', 5), 5, 20, 1, 0.95).stop).toBe(false);
    const run = adaptive('--A--AAAAAAAAAAAAAAA', 1, FIVE);
    expect(run.early).toMatchObject({ status: 'accepted', program: 'A' });
    expect(run.read).toBeGreaterThan(5);
  });

  it('on 2,000 seeded vote sequences: the full read decision on at least 99%, at least 1.5x fewer reads on a hard mix', () => {
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    let same = 0;
    let reads = 0;
    const total = 2000;
    for (let question = 0; question < total; question++) {
      // A question: the leading program's share, a runner-up, failures and scattered others.
      const share = 0.25 + random() * 0.75;
      const runner = random() * (1 - share);
      const fail = random() * (1 - share - runner);
      let sequence = '';
      for (let index = 0; index < 20; index++) {
        const u = random();
        sequence +=
          u < share
            ? 'A'
            : u < share + runner
              ? 'B'
              : u < share + runner + fail
                ? '-'
                : String.fromCharCode(67 + Math.floor(random() * 20));
      }
      const minVotes = question % 2 === 0 ? 1 : 3;
      const run = adaptive(sequence, minVotes);
      reads += run.read;
      if (run.early.status === run.full.status && run.early.program === run.full.program) same++;
    }
    expect(same / total).toBeGreaterThanOrEqual(0.99);
    // Leading shares spread evenly from 0.25 to 1: harder than real candidate sets (bench/RESULTS.md).
    expect((total * 20) / reads).toBeGreaterThanOrEqual(1.5);
  });
});

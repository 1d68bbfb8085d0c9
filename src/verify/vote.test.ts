import { describe, expect, it } from 'vitest';
import type { SampleOutcome, VoteOptions } from './vote.js';
import { vote } from './vote.js';

const options: VoteOptions = { minVotes: 1, count: 'samples', tie: 'logprob', emptyResult: 'keep' };
const ok = (program: string, key: string, logprob?: number): SampleOutcome => ({
  program,
  textKey: program.toLowerCase(),
  logprob,
  result: { status: 'ok', key, durationMs: 0 },
});
const failed: SampleOutcome = {
  program: 'SELECT x',
  textKey: 'select x',
  result: { status: 'error', error: 'no such column: x', durationMs: 0 },
};

describe('vote', () => {
  it('counts every sample, so duplicates are probability mass', () => {
    const decision = vote([ok('A', 'r1'), ok('A', 'r1'), ok('B', 'r2'), failed], { ...options, minVotes: 2 });
    expect(decision).toMatchObject({ status: 'accepted', program: 'A', votes: 2, total: 4, confidence: 0.5 });
    expect(decision.failures).toEqual({ error: 1 });
    expect(decision.errors).toEqual(['no such column: x']);
  });
  it('rejects below min votes, absolute or as a fraction of all samples', () => {
    const samples = [ok('A', 'r1'), ok('A', 'r1'), ok('B', 'r2'), failed, failed];
    expect(vote(samples, { ...options, minVotes: 3 })).toMatchObject({
      status: 'rejected',
      reason: 'below-min-votes',
    });
    expect(vote(samples, { ...options, minVotes: 0.5 })).toMatchObject({
      status: 'rejected',
      reason: 'below-min-votes',
    });
    expect(vote(samples, { ...options, minVotes: 0.4 })).toMatchObject({ status: 'accepted' });
  });
  it("reproduces SymGen's distinct counting, adjacent duplicates merged", () => {
    const samples = [
      ok('A', 'r1'),
      ok('A', 'r1'),
      ok('C', 'r1'),
      ok('B', 'r2'),
      ok('B', 'r2'),
      ok('D', 'r2'),
      ok('B', 'r2'),
    ];
    const decision = vote(samples, { ...options, count: 'distinct', tie: 'reject' });
    // r1: A, C = 2 ; r2: B, D, B = 3 (the last B is not adjacent to the first ones)
    expect(decision).toMatchObject({ status: 'accepted', votes: 3, total: 5 });
  });
  it('settles ties by mean log-probability, or rejects them', () => {
    const samples = [ok('A', 'r1', -0.1), ok('B', 'r2', -0.9)];
    expect(vote(samples, options)).toMatchObject({ status: 'accepted', program: 'A' });
    expect(vote(samples, { ...options, tie: 'reject' })).toMatchObject({ status: 'rejected', reason: 'tie' });
    expect(vote([ok('A', 'r1'), ok('B', 'r2')], options)).toMatchObject({
      status: 'rejected',
      reason: 'tie',
    });
  });
  it('picks inside the group by log-probability, then frequency, then length', () => {
    expect(vote([ok('long one', 'r'), ok('short', 'r', -0.5), ok('x', 'r', -0.2)], options).program).toBe(
      'x',
    );
    expect(vote([ok('AAAA', 'r'), ok('AAAA', 'r'), ok('B', 'r')], options).program).toBe('AAAA');
    expect(vote([ok('AAAA', 'r'), ok('B', 'r')], options).program).toBe('B');
  });
  it('gives a reason for every rejection', () => {
    expect(vote([], options)).toMatchObject({ reason: 'no-candidates' });
    expect(vote([{ program: null, textKey: null }], options)).toMatchObject({ reason: 'no-program' });
    expect(vote([failed, failed], options)).toMatchObject({ reason: 'no-executable' });
    expect(vote([ok('A', 'empty')], { ...options, emptyResult: 'reject' })).toMatchObject({
      reason: 'empty-result',
    });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  describe("--count distinct decides as SymGen's filter does", () => {
    // Cases computed with SymGen's own code (HKUNLP/SymGen src/filters/filter_tool.py at commit
    // 9bef5df2bb50d78461c90b0491ded469e0a8a5de: by_dedup, by_exec, _vote_single with filter_entry
    // true, by_max_logprob) by scripts/symgen-filter-cases.py, which checks the file against it.
    const document = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'test', 'symgen-filter-cases.json'), 'utf8'),
    ) as {
      source: string;
      cases: {
        name: string;
        minVotes: number;
        candidates: { program: string; logprob: number; result: string | null }[];
        symgen: { kept: boolean; program?: string };
      }[];
    };
    expect(document.source).toContain('9bef5df2bb50d78461c90b0491ded469e0a8a5de');
    it.each(document.cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
      const samples = entry.candidates.map(({ program, logprob, result }) =>
        result === null
          ? { ...failed, program, textKey: program, logprob }
          : { ...ok(program, result, logprob), textKey: program },
      );
      const decision = vote(samples, { ...options, count: 'distinct', minVotes: entry.minVotes });
      expect({ kept: decision.status === 'accepted', program: decision.program }).toEqual({
        kept: entry.symgen.kept,
        program: entry.symgen.kept ? entry.symgen.program : decision.program,
      });
    });
    it('accepts 20 identical samples as one unvoted program whatever --min-votes asks', () => {
      const samples = Array.from({ length: 20 }, () => ok('SELECT 1', 'r1', -0.2));
      expect(vote(samples, { ...options, count: 'distinct', minVotes: 5 })).toMatchObject({
        status: 'accepted',
        votes: 1,
        total: 1,
        confidence: 1,
      });
      expect(vote(samples, { ...options, minVotes: 5 })).toMatchObject({ status: 'accepted', votes: 20 });
    });
    it('still rejects a tie with --tie reject, and an empty result with --empty-result reject', () => {
      const tie = [ok('A', 'r1', -1), ok('B', 'r2', -0.5)];
      expect(vote(tie, { ...options, count: 'distinct' })).toMatchObject({
        status: 'accepted',
        program: 'B',
      });
      expect(vote(tie, { ...options, count: 'distinct', tie: 'reject' })).toMatchObject({ reason: 'tie' });
      const empty = [ok('A', 'empty', -1), ok('A', 'empty', -1)];
      expect(vote(empty, { ...options, count: 'distinct', emptyResult: 'reject' })).toMatchObject({
        reason: 'empty-result',
      });
    });
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

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { parseVerifyOptions } from './options.js';
import { verifyOptionsSchema } from './options-schema.js';

const cases: Record<string, unknown>[] = [
  {},
  { minVotes: 5 },
  { minVotes: 0.25, count: 'distinct', tie: 'reject', emptyResult: 'reject' },
  { compare: 'set', normalise: 'parser', timeoutMs: 1, maxRows: 10, workers: 64, executor: 'processes' },
  { keepCandidates: true, window: 1, executor: 'threads' },
  { minVotes: 0 },
  { minVotes: -1 },
  { minVotes: 2.5 },
  { minVotes: '5' },
  { minVotes: Number.NaN },
  { count: 'all' },
  { tie: 'random' },
  { compare: 'bag' },
  { normalise: 'ast' },
  { executor: 'gpu' },
  { timeoutMs: 0 },
  { timeoutMs: 1.5 },
  { maxRows: '100' },
  { workers: 0 },
  { workers: 65 },
  { keepCandidates: 'yes' },
  { window: 0 },
  { colour: 'blue' },
  {
    adaptive: true,
    adaptiveFirst: 3,
    adaptiveStep: 1,
    adaptiveConfidence: 0.99,
    testSuite: 5,
    testSuiteDir: '/tmp/x',
  },
  { adaptiveConfidence: 1 },
  { adaptiveFirst: 0 },
  { testSuite: 65 },
  { adaptive: 'yes' },
  { minVotes: 2, timeoutMs: -1, count: 'x' },
];

describe('parseVerifyOptions', () => {
  it.each(cases)('agrees with the zod schema on %j', (input) => {
    const zod = verifyOptionsSchema.safeParse(input);
    let mine: unknown;
    try {
      mine = parseVerifyOptions(input as never);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(zod.success).toBe(false);
      // The same fields are named as wrong.
      const paths = (error as ConfigError).issues.map((issue) => issue.path).sort();
      expect(paths).toEqual(
        [
          ...new Set(
            zod.error!.issues.map(
              (issue) => issue.path.join('.') || String((issue as { keys?: string[] }).keys),
            ),
          ),
        ].sort(),
      );
      return;
    }
    expect(zod.success).toBe(true);
    expect(mine).toEqual(zod.data);
  });

  it('names every problem, the first in the one-line message', () => {
    let error: ConfigError | undefined;
    try {
      parseVerifyOptions({ minVotes: 2.5, count: 'x' as never });
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect(error?.message).toBe(
      'verify options: minVotes: must be a whole number (a count) or a fraction below 1 (and 1 more)',
    );
    expect(error?.issues).toEqual([
      { path: 'minVotes', message: 'must be a whole number (a count) or a fraction below 1' },
      { path: 'count', message: 'expected one of "samples", "distinct"' },
    ]);
  });
});

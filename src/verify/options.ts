import { ConfigError, type ConfigIssue } from '../errors/index.js';

/** The allowed values of each choice among the verify options. */
export const VERIFY_CHOICES = {
  count: ['samples', 'distinct'],
  tie: ['reject', 'logprob'],
  emptyResult: ['keep', 'reject'],
  compare: ['multiset', 'strict', 'set'],
  normalise: ['text', 'parser'],
  executor: ['threads', 'processes'],
  adaptiveRounds: ['cost', 'fixed'],
} as const;

/** Whole-number options and their inclusive ranges. */
export const VERIFY_INTEGERS = {
  timeoutMs: [1, Number.MAX_SAFE_INTEGER],
  maxRows: [1, Number.MAX_SAFE_INTEGER],
  workers: [1, 64],
  window: [1, Number.MAX_SAFE_INTEGER],
  adaptiveFirst: [1, 256],
  adaptiveStep: [1, 256],
  testSuite: [0, 64],
} as const;

type Choice<K extends keyof typeof VERIFY_CHOICES> = (typeof VERIFY_CHOICES)[K][number];

/** Settings of `symgen verify`, validated at the boundary (see `verifyOptionsSchema` for the zod form). */
export interface VerifyOptions {
  /** Votes the winning group needs: a count (5), or a fraction of the votes below 1 (0.25). */
  minVotes: number;
  count: Choice<'count'>;
  tie: Choice<'tie'>;
  emptyResult: Choice<'emptyResult'>;
  compare: Choice<'compare'>;
  /** `text`: dedup by the cheap lexical normal form; `parser`: the real SQL parser's canonical form too. */
  normalise: Choice<'normalise'>;
  timeoutMs: number;
  maxRows: number;
  workers?: number | undefined;
  /**
   * Where SQL runs. `threads`: worker threads that each verify whole examples on connections guarded
   * by the symgen_guard extension (interrupt at the time budget, reading only). `processes`: executor
   * processes killed at the budget. Default: threads when the extension is built, else processes.
   */
  executor?: Choice<'executor'> | undefined;
  keepCandidates: boolean;
  /** Examples verified at once by the processes path; bounds memory while keeping every executor busy. */
  window: number;
  /**
   * Read candidates in rounds and stop as soon as the outcome is settled (`src/verify/adaptive.ts`
   * states the rule); every candidate is the budget. `total` is then the number read.
   */
  adaptive: boolean;
  /** Adaptive: candidates read before the first check. */
  adaptiveFirst: number;
  /** Adaptive: candidates read between checks. */
  adaptiveStep: number;
  /** Adaptive: posterior probability that the outcome under the full budget is the one seen now. */
  adaptiveConfidence: number;
  /**
   * Adaptive in `symgen generate`, where each round is a new request: `cost` makes every round after
   * the first at least as large as the prompt's price counted in samples (from the price table; the
   * step alone when the model has no price), so that sending the prompt again does not cost more
   * than the samples it saves; `fixed` keeps the step. Reading a candidate file has no such price.
   */
  adaptiveRounds: Choice<'adaptiveRounds'>;
  /**
   * Neighbour environments (for SQL: databases derived from the original, `--test-suite K`): candidates
   * group by their results on the original and on every neighbour. 0: the original only. Needs a task
   * with `testSuite` (docs/tasks.md).
   */
  testSuite: number;
  /**
   * Sanity checks on each result group (the task's `checks`; for SQL: limit-tie, duplicate-rows,
   * count-not-distinct): a flawless group wins, or the question is rejected with the flaw.
   */
  checks: boolean;
  /** Where neighbour environments are kept (built once per database content). Default: the task's choice. */
  testSuiteDir?: string | undefined;
}

export type VerifyOptionsInput = Partial<VerifyOptions>;

/** Defaults of the options that have one. */
export const VERIFY_DEFAULTS = {
  minVotes: 1,
  count: 'samples',
  tie: 'logprob',
  emptyResult: 'keep',
  compare: 'multiset',
  normalise: 'text',
  timeoutMs: 5000,
  maxRows: 100_000,
  keepCandidates: false,
  window: 256,
  adaptive: false,
  adaptiveFirst: 4,
  adaptiveStep: 2,
  adaptiveConfidence: 0.95,
  adaptiveRounds: 'cost',
  testSuite: 0,
  checks: false,
} as const satisfies Partial<VerifyOptions>;

/**
 * Validate verify options and fill in defaults; throws a `ConfigError` listing every problem. Checked
 * by hand from the tables above (zod would cost a CLI run 70 ms to load); `verifyOptionsSchema` is
 * built from the same tables, and a test checks that both accept and reject the same inputs.
 */
export function parseVerifyOptions(input: VerifyOptionsInput, source = 'verify options'): VerifyOptions {
  const issues: ConfigIssue[] = [];
  const out: Record<string, unknown> = { ...VERIFY_DEFAULTS };
  for (const [key, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    const message = checkOption(key, value);
    if (message) issues.push({ path: key, message });
    else out[key] = value;
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  return out as unknown as VerifyOptions;
}

function checkOption(key: string, value: unknown): string | null {
  if (key === 'minVotes') {
    if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, got ${typeof value}`;
    if (value <= 0) return 'must be above 0';
    if (value >= 1 && !Number.isInteger(value))
      return 'must be a whole number (a count) or a fraction below 1';
    return null;
  }
  if (key === 'adaptiveConfidence') {
    if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, got ${typeof value}`;
    return value > 0 && value < 1 ? null : 'must be between 0 and 1';
  }
  if (key === 'testSuiteDir')
    return typeof value === 'string' ? null : `expected a string, got ${typeof value}`;
  if (key === 'keepCandidates' || key === 'adaptive' || key === 'checks')
    return typeof value === 'boolean' ? null : `expected a boolean, got ${typeof value}`;
  if (key in VERIFY_CHOICES) {
    const allowed = VERIFY_CHOICES[key as keyof typeof VERIFY_CHOICES] as readonly string[];
    return typeof value === 'string' && allowed.includes(value)
      ? null
      : `expected one of ${allowed.map((choice) => JSON.stringify(choice)).join(', ')}`;
  }
  if (key in VERIFY_INTEGERS) {
    const [low, high] = VERIFY_INTEGERS[key as keyof typeof VERIFY_INTEGERS];
    if (typeof value !== 'number' || !Number.isInteger(value))
      return `expected a whole number, got ${String(value)}`;
    if (value < low) return `must be at least ${low}`;
    if (value > high) return `must be at most ${high}`;
    return null;
  }
  return 'unknown option';
}

/**
 * Parse `--min-votes`: `5` (a count of votes) or `0.25` (a fraction of the votes, below 1). A decimal
 * point always means a fraction, so `1.0` or `2.5` is refused as ambiguous rather than read as the
 * count 1 (which would accept every candidate): for all the votes, give the candidate count.
 */
export function parseMinVotes(text: string): number {
  const value = Number(text);
  if (/[.eE]/.test(text) && Number.isFinite(value) && value >= 1) {
    throw new ConfigError('--min-votes', [
      {
        path: '',
        message: `${text} is ambiguous: a decimal point means a fraction of the votes, and fractions are below 1; write a whole number for a count (1 accepts any single vote; the candidate count, e.g. 8, needs every vote) or a fraction such as 0.5`,
      },
    ]);
  }
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (value >= 1 && !Number.isInteger(value))
  ) {
    throw new ConfigError('--min-votes', [
      {
        path: '',
        message: `expected a whole number from 1 up (a count) or a fraction between 0 and 1, got ${JSON.stringify(text)}`,
      },
    ]);
  }
  return value;
}

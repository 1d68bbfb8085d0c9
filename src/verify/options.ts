import { z } from 'zod';
import { ConfigError } from '../errors/index.js';

/** Settings of `symgen verify`, validated at the boundary. */
export const verifyOptionsSchema = z.strictObject({
  minVotes: z
    .number()
    .positive('must be above 0')
    .refine(
      (value) => value < 1 || Number.isInteger(value),
      'must be a whole number (a count) or a fraction below 1',
    )
    .default(1),
  count: z.enum(['samples', 'distinct']).default('samples'),
  tie: z.enum(['reject', 'logprob']).default('logprob'),
  emptyResult: z.enum(['keep', 'reject']).default('keep'),
  compare: z.enum(['multiset', 'strict', 'set']).default('multiset'),
  /** `text`: dedup by the cheap lexical normal form; `parser`: the real SQL parser's canonical form too. */
  normalise: z.enum(['text', 'parser']).default('text'),
  timeoutMs: z.number().int().min(1).default(5000),
  maxRows: z.number().int().min(1).default(100_000),
  workers: z.number().int().min(1).max(64).optional(),
  /**
   * Where SQL runs. \`threads\`: worker threads that each verify whole examples on connections guarded
   * by the symgen_guard extension (interrupt at the time budget, reading only). \`processes\`: executor
   * processes killed at the budget. Default: threads when the extension is built, else processes.
   */
  executor: z.enum(['threads', 'processes']).optional(),
  keepCandidates: z.boolean().default(false),
  /** Examples verified at once; bounds memory while keeping every executor busy. */
  window: z.number().int().min(1).default(256),
});

export type VerifyOptionsInput = z.input<typeof verifyOptionsSchema>;
export type VerifyOptions = z.output<typeof verifyOptionsSchema>;

/** Validate verify options; throws a `ConfigError` listing every problem. */
export function parseVerifyOptions(input: VerifyOptionsInput, source = 'verify options'): VerifyOptions {
  const parsed = verifyOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    source,
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/** Parse `--min-votes`: `5` (a count) or `0.25` (a fraction). */
export function parseMinVotes(text: string): number {
  const value = Number(text);
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

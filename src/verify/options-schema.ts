import { z } from 'zod';
import { VERIFY_CHOICES, VERIFY_DEFAULTS, VERIFY_INTEGERS, type VerifyOptions } from './options.js';

const integer = (key: keyof typeof VERIFY_INTEGERS) =>
  z.number().int().min(VERIFY_INTEGERS[key][0]).max(VERIFY_INTEGERS[key][1]);

/**
 * The verify options as a zod schema (for configuration files and their JSON Schema), built from the
 * tables `parseVerifyOptions` checks against.
 */
export const verifyOptionsSchema = z.strictObject({
  minVotes: z
    .number()
    .positive('must be above 0')
    .refine(
      (value) => value < 1 || Number.isInteger(value),
      'must be a whole number (a count) or a fraction below 1',
    )
    .default(VERIFY_DEFAULTS.minVotes),
  count: z.enum(VERIFY_CHOICES.count).default(VERIFY_DEFAULTS.count),
  tie: z.enum(VERIFY_CHOICES.tie).default(VERIFY_DEFAULTS.tie),
  emptyResult: z.enum(VERIFY_CHOICES.emptyResult).default(VERIFY_DEFAULTS.emptyResult),
  compare: z.enum(VERIFY_CHOICES.compare).default(VERIFY_DEFAULTS.compare),
  normalise: z.enum(VERIFY_CHOICES.normalise).default(VERIFY_DEFAULTS.normalise),
  timeoutMs: integer('timeoutMs').default(VERIFY_DEFAULTS.timeoutMs),
  maxRows: integer('maxRows').default(VERIFY_DEFAULTS.maxRows),
  workers: integer('workers').optional(),
  executor: z.enum(VERIFY_CHOICES.executor).optional(),
  keepCandidates: z.boolean().default(VERIFY_DEFAULTS.keepCandidates),
  window: integer('window').default(VERIFY_DEFAULTS.window),
  adaptive: z.boolean().default(VERIFY_DEFAULTS.adaptive),
  adaptiveFirst: integer('adaptiveFirst').default(VERIFY_DEFAULTS.adaptiveFirst),
  adaptiveStep: integer('adaptiveStep').default(VERIFY_DEFAULTS.adaptiveStep),
  adaptiveConfidence: z
    .number()
    .refine((value) => value > 0 && value < 1, 'must be between 0 and 1')
    .default(VERIFY_DEFAULTS.adaptiveConfidence),
  adaptiveRounds: z.enum(VERIFY_CHOICES.adaptiveRounds).default(VERIFY_DEFAULTS.adaptiveRounds),
  testSuite: integer('testSuite').default(VERIFY_DEFAULTS.testSuite),
  checks: z.boolean().default(VERIFY_DEFAULTS.checks),
  testSuiteDir: z.string().optional(),
}) satisfies z.ZodType<VerifyOptions, unknown>;

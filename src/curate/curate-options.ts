import { z } from 'zod';
import { HARDNESS_LEVELS } from '../tasks/sql/hardness.js';

/** Heuristic filters; an example failing one is dropped with the filter's name as reason. */
export const curateFilterSchema = z.strictObject({
  /** Fewest words a question may have. */
  minWords: z.int().nonnegative().default(2),
  /** Most words a question may have. */
  maxWords: z.int().positive().default(60),
  /** `en`: the question must be written in Latin script and must not be code; `any`: no check. */
  language: z.enum(['en', 'any']).default('en'),
  /** Most SQL tokens a program may have. */
  maxProgramTokens: z.int().positive().default(400),
  /** Spider hardness levels allowed (programs that do not parse count as `unknown`). */
  hardness: z.array(z.enum([...HARDNESS_LEVELS, 'unknown'])).optional(),
  /** Fewest result rows (needs a database); 1 drops programs that return nothing. */
  minResultRows: z.int().nonnegative().default(0),
  /** Most result rows (needs a database). */
  maxResultRows: z.int().positive().optional(),
  /** Lowest verifier confidence kept (examples without one are kept). */
  minConfidence: z.number().min(0).max(1).default(0),
});

/** Dedup settings. */
export const curateDedupSchema = z.strictObject({
  /** Drop a repeat of an earlier (question, program) pair, compared after folding and normalising. */
  exact: z.boolean().default(true),
  /** Keep at most this many examples per normalised program (0: no limit). */
  maxPerProgram: z.int().nonnegative().default(0),
  /** MinHash-LSH near-duplicate questions (same database only). */
  nearDuplicates: z.boolean().default(true),
  /** Word-shingle Jaccard similarity from which two questions are near duplicates. */
  threshold: z.number().gt(0).max(1).default(0.8),
});

/** Re-weighting: `weight = confidence^confidencePower * (1 / templateCount)^rarityPower`, mean 1. */
export const curateWeightSchema = z.strictObject({
  confidencePower: z.number().nonnegative().default(1),
  rarityPower: z.number().nonnegative().default(0.5),
  /**
   * Re-weight toward a target mix: the mix (hardness, clauses, tables) of the programs of
   * `reference` (the demonstrations, or any dataset), matched by raking; factors clipped to
   * [1/maxFactor, maxFactor], multiplied into the weights above.
   */
  mix: z
    .strictObject({
      reference: z.string().min(1),
      parts: z
        .array(z.enum(['hardness', 'clauses', 'tables']))
        .min(1)
        .default(['hardness', 'clauses']),
      maxFactor: z.number().min(1).default(10),
    })
    .optional(),
});

/** Relabelling by an auxiliary model of the examples below a confidence. */
export const curateRelabelSchema = z.strictObject({
  /** Examples with a confidence below this are sent to the model. */
  below: z.number().min(0).max(1).default(0.6),
  /** Most examples sent (lowest confidence first). */
  limit: z.int().positive().default(500),
});

/** Decontamination against benchmark test items (`--decontaminate FILE...`). */
export const curateDecontaminationSchema = z.strictObject({
  /** Words per n-gram of the question overlap (13, as in GPT-3's contamination analysis). */
  ngram: z.int().min(1).default(13),
  /** Texts shorter than an n-gram are compared whole, down to this many words (shorter: only equal texts). */
  minWords: z.int().min(1).default(8),
});

/** Every setting of `symgen curate`. */
export const curateOptionsSchema = z.strictObject({
  filters: curateFilterSchema.default(() => curateFilterSchema.parse({})),
  dedup: curateDedupSchema.default(() => curateDedupSchema.parse({})),
  weight: curateWeightSchema.default(() => curateWeightSchema.parse({})),
  relabel: curateRelabelSchema.default(() => curateRelabelSchema.parse({})),
  decontamination: curateDecontaminationSchema.default(() => curateDecontaminationSchema.parse({})),
  /** Kept examples with a confidence below this go to the review queue. */
  reviewBelow: z.number().min(0).max(1).default(0.8),
});

export type CurateOptions = z.infer<typeof curateOptionsSchema>;
export type CurateFilterOptions = z.infer<typeof curateFilterSchema>;

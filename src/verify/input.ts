import { z } from 'zod';

const candidateSchema = z.union([
  z.string().transform((program) => ({ program, logprob: undefined })),
  z
    .object({
      program: z.string(),
      logprob: z
        .number()
        .nullish()
        .transform((value) => value ?? undefined),
    })
    .loose(),
]);

/**
 * One input line of `symgen verify`: `{"id", "question", "db_id"?, "candidates": [{"program", "logprob"?}]}`.
 * A candidate may also be a bare string. Other fields are kept and copied to the output.
 */
export const verifyInputSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    question: z.string().optional(),
    db_id: z.string().optional(),
    candidates: z.array(candidateSchema),
  })
  .loose();

export type VerifyInput = z.output<typeof verifyInputSchema>;

/** One-line description of why a line does not fit the input schema. */
export function describeInputIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'line'}: ${issue.message}`)
    .join('; ');
}

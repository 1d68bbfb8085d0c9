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
 * One input line of `symgen verify` as a zod schema, for callers that validate with zod. The verifier
 * itself checks lines by hand (`checkVerifyInput`), to keep zod off its start-up and hot path.
 */
export const verifyInputSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    question: z.string().optional(),
    db_id: z.string().optional(),
    candidates: z.array(candidateSchema),
  })
  .loose();

/** One-line description of why a value does not fit {@link verifyInputSchema}. */
export function describeInputIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'line'}: ${issue.message}`)
    .join('; ');
}

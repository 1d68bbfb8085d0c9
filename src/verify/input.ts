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

/**
 * Validate one input line: a hand-written check for well-formed lines (the common case, and the hot
 * path of a large run), and the zod schema, for its messages, only when that check fails.
 */
export function parseVerifyInput(
  value: unknown,
): { success: true; data: VerifyInput } | { success: false; error: z.ZodError } {
  const fast = fastParse(value);
  if (fast) return { success: true, data: fast };
  const parsed = verifyInputSchema.safeParse(value);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error };
}

function fastParse(value: unknown): VerifyInput | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const line = value as Record<string, unknown>;
  const { id, question, db_id: dbId, candidates } = line;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return null;
  if (question !== undefined && typeof question !== 'string') return null;
  if (dbId !== undefined && typeof dbId !== 'string') return null;
  if (!Array.isArray(candidates)) return null;
  const out: VerifyInput['candidates'] = new Array(candidates.length);
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index] as unknown;
    if (typeof candidate === 'string') {
      out[index] = { program: candidate, logprob: undefined };
      continue;
    }
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return null;
    const { program, logprob } = candidate as Record<string, unknown>;
    if (typeof program !== 'string') return null;
    if (logprob === undefined || typeof logprob === 'number')
      out[index] = candidate as VerifyInput['candidates'][number];
    else if (logprob === null) out[index] = { ...(candidate as object), program, logprob: undefined };
    else return null;
  }
  return { ...line, candidates: out } as VerifyInput;
}

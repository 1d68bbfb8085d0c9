/** One candidate of an input line: model text holding a program, and its log-probability when known. */
export interface VerifyCandidate {
  readonly program: string;
  readonly logprob?: number | undefined;
  readonly [field: string]: unknown;
}

/**
 * One input line of `symgen verify`: `{"id", "question", "db_id"?, "candidates": [{"program", "logprob"?}]}`.
 * A candidate may also be a bare string. Other fields are kept and copied to the output.
 */
export interface VerifyInput {
  readonly id?: string | number;
  readonly question?: string;
  readonly db_id?: string;
  readonly candidates: VerifyCandidate[];
  readonly [field: string]: unknown;
}

export type CheckedInput = { success: true; data: VerifyInput } | { success: false; message: string };

const MAX_ISSUES = 3;

/**
 * Check one parsed input line and normalise its candidates (a bare string becomes `{program}`, a null
 * logprob is dropped). On failure, `message` names up to three problems as `path: what was expected`.
 */
export function checkVerifyInput(value: unknown): CheckedInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { success: false, message: `line: expected an object, got ${describe(value)}` };
  }
  const line = value as Record<string, unknown>;
  const issues: string[] = [];
  const { id, question, db_id: dbId, candidates } = line;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number')
    issues.push(`id: expected a string or a number, got ${describe(id)}`);
  if (question !== undefined && typeof question !== 'string')
    issues.push(`question: expected a string, got ${describe(question)}`);
  if (dbId !== undefined && typeof dbId !== 'string')
    issues.push(`db_id: expected a string, got ${describe(dbId)}`);
  if (!Array.isArray(candidates)) {
    issues.push(`candidates: expected an array, got ${describe(candidates)}`);
    return { success: false, message: issues.slice(0, MAX_ISSUES).join('; ') };
  }
  const out: VerifyCandidate[] = new Array(candidates.length);
  for (let index = 0; index < candidates.length && issues.length < MAX_ISSUES; index++) {
    const candidate = candidates[index] as unknown;
    if (typeof candidate === 'string') {
      out[index] = { program: candidate, logprob: undefined };
      continue;
    }
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
      issues.push(
        `candidates.${index}: expected a string or an object with a program, got ${describe(candidate)}`,
      );
      continue;
    }
    const { program, logprob } = candidate as Record<string, unknown>;
    if (typeof program !== 'string') {
      issues.push(`candidates.${index}.program: expected a string, got ${describe(program)}`);
    } else if (logprob === undefined || typeof logprob === 'number') {
      out[index] = candidate as VerifyCandidate;
    } else if (logprob === null) {
      out[index] = { ...(candidate as object), program, logprob: undefined };
    } else {
      issues.push(`candidates.${index}.logprob: expected a number, got ${describe(logprob)}`);
    }
  }
  if (issues.length > 0) return { success: false, message: issues.slice(0, MAX_ISSUES).join('; ') };
  return { success: true, data: { ...line, candidates: out } as VerifyInput };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

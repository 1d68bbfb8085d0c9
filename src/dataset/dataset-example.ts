/**
 * One example of a dataset as curation, evaluation and the report read it. Readers are tolerant:
 * any JSONL whose lines hold a `question` and a program (`program`, `query` or `sql`) is a dataset;
 * `symgen verify` output, `symgen generate`'s `dataset.jsonl`/`rejected.jsonl`, `symgen sample`'s
 * output and GeoQuery/Spider files all read the same way.
 */
export interface DatasetExample {
  /** 1-based line in the file it came from. */
  readonly line: number;
  /** `id` when the line has one, else `line-<n>`. */
  readonly id: string;
  readonly question: string;
  /** The program (`program`, else `query`, else `sql`); `''` on rejected lines that have none. */
  readonly program: string;
  readonly dbId?: string;
  /** Vote share from the verifier, from 0 to 1. Missing means unknown (not zero). */
  readonly confidence?: number;
  /** Weight carried from an earlier `symgen curate`. */
  readonly weight?: number;
  /** `accepted` or `rejected` when the line says so (verify, generate). */
  readonly status?: string;
  /** Why the line was rejected, when it says so. */
  readonly reason?: string;
  /** Winning votes and candidates voted, when the verifier wrote them. */
  readonly votes?: number;
  readonly total?: number;
  /** Number of result clusters the verifier saw. */
  readonly clusters?: number;
  /** Structural features written by the generator (`features`), passed through as is. */
  readonly features?: Record<string, unknown>;
  /** The gold program when the line carries one (`gold`, `gold_program`). */
  readonly gold?: string;
  /** The whole parsed line, so writers keep every field they do not understand. */
  readonly raw: Record<string, unknown>;
}

/** A line that could not be read as an example, with the reason. */
export interface DatasetLineError {
  readonly line: number;
  readonly error: string;
}

const PROGRAM_FIELDS = ['program', 'query', 'sql'] as const;

/**
 * Turn one parsed JSONL value into a {@link DatasetExample}, or say why it is not one. With
 * `allowMissingProgram` (rejected lines) a line with a question and no program is still an example.
 */
export function toDatasetExample(
  value: unknown,
  line: number,
  options: {
    allowMissingProgram?: boolean;
    /** The task's own field names (NL2Bash: `nl` / `bash`; MBPP: `text` / `code`), tried after the usual ones. */
    fields?: { readonly question: string; readonly program: string };
  } = {},
): DatasetExample | DatasetLineError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, error: `line ${line} is not a JSON object` };
  }
  const raw = value as Record<string, unknown>;
  const question = firstString(raw, [
    'question',
    'nl',
    'text',
    'utterance',
    ...(options.fields ? [options.fields.question] : []),
  ]);
  if (question === undefined) {
    return { line, error: `line ${line} has no question (expected a "question" string)` };
  }
  const programFields = [
    ...PROGRAM_FIELDS,
    ...(options.fields && !(PROGRAM_FIELDS as readonly string[]).includes(options.fields.program)
      ? [options.fields.program]
      : []),
  ];
  const field = programFields.find((name) => typeof raw[name] === 'string');
  if (field === undefined && !options.allowMissingProgram) {
    return { line, error: `line ${line} has no program (expected one of: ${programFields.join(', ')})` };
  }
  const dbId = firstString(raw, ['db_id', 'dbId']);
  const confidence = finiteNumber(raw.confidence);
  const weight = finiteNumber(raw.weight);
  const votes = finiteNumber(raw.votes);
  const total = finiteNumber(raw.total);
  const clusters = Array.isArray(raw.clusters) ? raw.clusters.length : finiteNumber(raw.clusters);
  const gold = firstString(raw, ['gold', 'gold_program', 'gold_query']);
  const features =
    typeof raw.features === 'object' && raw.features !== null && !Array.isArray(raw.features)
      ? (raw.features as Record<string, unknown>)
      : undefined;
  return {
    line,
    id: raw.id === undefined || raw.id === null ? `line-${line}` : String(raw.id),
    question,
    program: field === undefined ? '' : (raw[field] as string),
    ...(dbId === undefined ? {} : { dbId }),
    ...(confidence === undefined ? {} : { confidence }),
    ...(weight === undefined ? {} : { weight }),
    ...(typeof raw.status === 'string' ? { status: raw.status } : {}),
    ...(typeof raw.reason === 'string' ? { reason: raw.reason } : {}),
    ...(votes === undefined ? {} : { votes }),
    ...(total === undefined ? {} : { total }),
    ...(clusters === undefined ? {} : { clusters }),
    ...(features === undefined ? {} : { features }),
    ...(gold === undefined ? {} : { gold }),
    raw,
  };
}

/** True when the value is a read error rather than an example. */
export function isLineError(value: DatasetExample | DatasetLineError): value is DatasetLineError {
  return 'error' in value;
}

function firstString(raw: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) if (typeof raw[name] === 'string') return raw[name] as string;
  return undefined;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

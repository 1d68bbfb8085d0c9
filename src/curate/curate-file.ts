import { readFileSync } from 'node:fs';
import { readDataset } from '../dataset/index.js';
import { InputError } from '../errors/index.js';
import { readJsonl, writeLinesAtomically } from '../io/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { DatabaseSet } from '../tasks/sql/databases.js';
import { SqliteExecutor } from '../tasks/sql/execute/index.js';
import { sqlFeatures } from '../tasks/sql/features.js';
import { measureMix } from '../tasks/sql/mix.js';
import { loadSqlParser } from '../tasks/sql/parse.js';
import { openReadOnly, readSqliteSchema } from '../tasks/sql/schema.js';
import type { CuratedExample, CurateResult, DroppedExample } from './curate-examples.js';
import { curateExamples } from './curate-examples.js';
import type { CurateOptions } from './curate-options.js';

/** Files and resources of one `symgen curate` run. */
export interface CurateFileOptions {
  readonly input: string;
  readonly output: string;
  /** Where dropped examples go, each with its `reason`. @default `<output without .jsonl>.dropped.jsonl` */
  readonly dropped?: string;
  /** The review queue, lowest confidence first. @default `<output without .jsonl>.review.jsonl` */
  readonly review?: string;
  /** `--db`: enables the result-size filters and checks the auxiliary model's corrections. */
  readonly db?: string;
  /** The auxiliary model for relabelling (already wrapped with a scheduler). */
  readonly model?: LlmProvider;
  readonly options: CurateOptions;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

/** Default side files of an output path: `out.jsonl` -> `out.dropped.jsonl`, `out.review.jsonl`. */
export function sideFile(output: string, suffix: string): string {
  return `${output.replace(/\.jsonl$/, '')}.${suffix}.jsonl`;
}

/**
 * `symgen curate` on files: read a dataset (lines that are not examples are dropped as
 * `invalid-line`), curate it, and write the kept examples (with `weight`), the dropped ones (with
 * `reason`) and the review queue, each all or nothing.
 */
export async function curateFile(options: CurateFileOptions): Promise<CurateResult> {
  const dataset = await readDataset(options.input, { includeRejected: true });
  await loadSqlParser();
  const mixOptions = options.options.weight.mix;
  const mix = mixOptions
    ? {
        target: measureMix((await readPrograms(mixOptions.reference)).map((program) => sqlFeatures(program))),
        options: { parts: mixOptions.parts, maxFactor: mixOptions.maxFactor },
      }
    : undefined;
  const databases = options.db ? DatabaseSet.open(options.db) : undefined;
  const executor = databases ? new SqliteExecutor({ timeoutMs: 5000 }) : undefined;
  const schemas = new Map<string, string>();
  const schemaText = (dbId: string | undefined): string | undefined => {
    if (!databases) return undefined;
    const environment = databases.resolve(dbId);
    let text = schemas.get(environment.path);
    if (text === undefined) {
      const db = openReadOnly(environment.path);
      try {
        text = readSqliteSchema(db)
          .tables.map((table) => table.createSql)
          .join('\n');
      } finally {
        db.close();
      }
      schemas.set(environment.path, text);
    }
    return text;
  };
  try {
    const execute = async (program: string, dbId: string | undefined) =>
      executor!.execute(program, databases!.resolve(dbId));
    const result = await curateExamples(dataset.examples, options.options, {
      ...(executor
        ? {
            resultRows: async (program, dbId) => {
              const outcome = await execute(program, dbId);
              return outcome.status === 'ok' ? (outcome.size ?? 0) : undefined;
            },
          }
        : {}),
      ...(options.model
        ? {
            relabel: {
              model: options.model,
              schema: schemaText,
              ...(executor
                ? { checkProgram: async (program, dbId) => (await execute(program, dbId)).status === 'ok' }
                : {}),
            },
          }
        : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(mix ? { mix } : {}),
    });
    const invalid: DroppedExample[] = dataset.errors.map((error) => ({
      example: { line: error.line, id: `line-${error.line}`, question: '', program: '', raw: {} },
      reason: 'invalid-line',
      detail: error.error,
    }));
    const dropped = [...result.dropped, ...invalid].sort(
      (left, right) => left.example.line - right.example.line,
    );
    await writeLinesAtomically(options.output, lines(result.kept.map(keptRecord)));
    await writeLinesAtomically(
      options.dropped ?? sideFile(options.output, 'dropped'),
      lines(dropped.map(droppedRecord)),
    );
    await writeLinesAtomically(
      options.review ?? sideFile(options.output, 'review'),
      lines(result.review.map(keptRecord)),
    );
    const summary = {
      ...result.summary,
      dropped: { ...result.summary.dropped, ...(invalid.length ? { 'invalid-line': invalid.length } : {}) },
    };
    return { ...result, dropped, summary };
  } finally {
    await executor?.close();
  }
}

/** A kept example as written: every original field, the (possibly corrected) program and `weight`. */
export function keptRecord(entry: CuratedExample): Record<string, unknown> {
  const raw = entry.example.raw;
  const programFields = ['program', 'query', 'sql'].filter((name) => typeof raw[name] === 'string');
  const record: Record<string, unknown> = { ...raw };
  for (const name of programFields.length > 0 ? programFields : ['program']) record[name] = entry.program;
  record.weight = entry.weight;
  if (entry.relabel) record.relabel = entry.relabel;
  return record;
}

function droppedRecord(entry: DroppedExample): Record<string, unknown> {
  return {
    ...(entry.example.raw.id === undefined ? { line: entry.example.line } : {}),
    ...entry.example.raw,
    status: 'dropped',
    reason: entry.reason,
    ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    ...(entry.duplicateOf === undefined ? {} : { duplicate_of: entry.duplicateOf }),
    ...(entry.similarity === undefined ? {} : { similarity: entry.similarity }),
  };
}

async function* lines(records: Iterable<Record<string, unknown>>): AsyncGenerator<string> {
  for (const record of records) yield JSON.stringify(record);
}

/** Read a JSON file of curate options (the same shape as {@link CurateOptions}, every key optional). */
export function readCurateOptionsFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read curate options ${path}: ${(error as Error).message}`, { file: path });
  }
}

/** Programs of a target-mix reference: each line's `query`, `program` or `sql`. */
async function readPrograms(file: string): Promise<string[]> {
  const programs: string[] = [];
  for await (const line of readJsonl(file)) {
    if (line.error !== undefined) continue;
    const value = line.value as Record<string, unknown> | null;
    const program = value?.query ?? value?.program ?? value?.sql;
    if (typeof program === 'string' && program.trim()) programs.push(program);
  }
  if (programs.length === 0)
    throw new InputError(
      `${file}: no program to measure a target mix on (each line needs a string field "query", "program" or "sql")`,
    );
  return programs;
}

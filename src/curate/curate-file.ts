import { readFileSync } from 'node:fs';
import type { DatasetExample } from '../dataset/index.js';
import { readDataset } from '../dataset/index.js';
import { ConfigError, InputError } from '../errors/index.js';
import { readJsonl, writeLinesAtomically } from '../io/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { createKnowledgeCache, PLAIN_KNOWLEDGE } from '../prompt/knowledge-cache.js';
import { defaultTask } from '../tasks/registry/index.js';
import type { Executor, GenerationSource, TaskPlugin } from '../tasks/spec.js';
import type { CuratedExample, CurateResult, DroppedExample } from './curate-examples.js';
import { curateExamples } from './curate-examples.js';
import type { CurateOptions } from './curate-options.js';
import { readBenchmarks } from './decontaminate.js';

/** Files and resources of one `symgen curate` run. */
export interface CurateFileOptions {
  readonly input: string;
  readonly output: string;
  /** Where dropped examples go, each with its `reason`. @default `<output without .jsonl>.dropped.jsonl` */
  readonly dropped?: string;
  /** The review queue, lowest confidence first. @default `<output without .jsonl>.review.jsonl` */
  readonly review?: string;
  /** The task of the programs. @default sql */
  readonly task?: TaskPlugin<never>;
  /** sql `--db`: enables the result-size filters and checks the auxiliary model's corrections. */
  readonly db?: string;
  /** The auxiliary model for relabelling (already wrapped with a scheduler). */
  readonly model?: LlmProvider;
  readonly options: CurateOptions;
  /**
   * Benchmark test files (`--decontaminate`) and the normal form of programs (default: the task's):
   * examples whose question overlaps an item or whose program equals one are dropped as `contaminated`.
   */
  readonly decontaminate?: {
    readonly files: readonly string[];
    readonly normalise?: (program: string) => string;
  };
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
  const task = options.task ?? defaultTask();
  await task.ready?.();
  const contamination = options.decontaminate
    ? (
        await readBenchmarks(options.decontaminate.files, {
          ngram: options.options.decontamination.ngram,
          minWords: options.options.decontamination.minWords,
          normalise: options.decontaminate.normalise ?? ((program) => task.normalise(program)),
        })
      ).index
    : undefined;
  const mixOptions = options.options.weight.mix;
  if (mixOptions && !task.mix)
    throw new ConfigError('weight.mix', [
      {
        path: 'weight.mix',
        message: `the ${task.id} task has no mix to re-weight toward: leave out --target-mix`,
      },
    ]);
  // the target mix is the task's (SQL: hardness, clauses, tables), measured with its features
  const mix =
    mixOptions && task.mix
      ? {
          target: task.mix.measure(
            (await readPrograms(mixOptions.reference, task.generation?.fields.program)).map(
              (program) => task.features?.(program) ?? {},
            ),
          ),
          options: { parts: mixOptions.parts, maxFactor: mixOptions.maxFactor },
        }
      : undefined;
  // where programs run: the task's sources (sql: the databases of --db; a task without sources needs none)
  const sources = options.db
    ? task.sources?.({ db: options.db, executor: {} })
    : task.sources
      ? undefined
      : [{ id: task.id }];
  const byId = new Map<string, GenerationSource>((sources ?? []).map((source) => [source.id, source]));
  const sourceOf = (example: DatasetExample) =>
    byId.get(example.dbId ?? '') ?? (byId.size === 1 ? byId.values().next().value : undefined);
  let executor: Executor | undefined;
  const execute = async (program: string, example: DatasetExample) => {
    const source = sourceOf(example);
    if (!source) return undefined;
    executor ??= task.createExecutor({ timeoutMs: 5000 } as never);
    return executor.execute(program, task.environment?.(example.raw, source) ?? source);
  };
  const knowledge = createKnowledgeCache(task, { options: PLAIN_KNOWLEDGE });
  const knowledgeOf = (example: DatasetExample): string | undefined => {
    const source = sourceOf(example);
    if (!source || !task.knowledge) return undefined;
    const opened = knowledge.of(source);
    return opened.view({ seed: 0, record: example.raw }).text || undefined;
  };
  try {
    const result = await curateExamples(dataset.examples, options.options, {
      task,
      ...(contamination ? { contamination } : {}),
      // result sizes are rows of a database result: with --db only
      ...(options.db
        ? {
            resultRows: async (program, example) => {
              const outcome = await execute(program, example);
              return outcome?.status === 'ok' ? (outcome.size ?? 0) : undefined;
            },
          }
        : {}),
      ...(options.model
        ? {
            relabel: {
              model: options.model,
              task,
              knowledge: knowledgeOf,
              ...(sources
                ? {
                    checkProgram: async (program, example) =>
                      (await execute(program, example))?.status === 'ok',
                  }
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
    await writeLinesAtomically(
      options.output,
      lines(result.kept.map((entry) => keptRecord(entry, task.generation?.fields.program))),
    );
    await writeLinesAtomically(
      options.dropped ?? sideFile(options.output, 'dropped'),
      lines(dropped.map(droppedRecord)),
    );
    await writeLinesAtomically(
      options.review ?? sideFile(options.output, 'review'),
      lines(result.review.map((entry) => keptRecord(entry, task.generation?.fields.program))),
    );
    const summary = {
      ...result.summary,
      dropped: { ...result.summary.dropped, ...(invalid.length ? { 'invalid-line': invalid.length } : {}) },
    };
    return { ...result, dropped, summary };
  } finally {
    knowledge.close();
    await executor?.close();
  }
}

/**
 * A kept example as written: every original field, the (possibly corrected) program (under every
 * program field it has: `program`, `query`, `sql`, the task's own such as `bash`) and `weight`.
 */
export function keptRecord(entry: CuratedExample, taskField?: string): Record<string, unknown> {
  const raw = entry.example.raw;
  const programFields = ['program', 'query', 'sql', ...(taskField ? [taskField] : [])].filter(
    (name) => typeof raw[name] === 'string',
  );
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
    ...(entry.matched === undefined ? {} : { matched: entry.matched }),
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

/** Programs of a target-mix reference: each line's `query`, `program` or `sql`, else the task's own field. */
async function readPrograms(file: string, taskField?: string): Promise<string[]> {
  const programs: string[] = [];
  for await (const line of readJsonl(file)) {
    if (line.error !== undefined) continue;
    const value = line.value as Record<string, unknown> | null;
    const program =
      value?.query ?? value?.program ?? value?.sql ?? (taskField ? value?.[taskField] : undefined);
    if (typeof program === 'string' && program.trim()) programs.push(program);
  }
  if (programs.length === 0)
    throw new InputError(
      `${file}: no program to measure a target mix on (each line needs a string field "query", "program" or "sql")`,
    );
  return programs;
}

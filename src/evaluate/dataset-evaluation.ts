import { type DatasetExample, foldQuestion, readDataset, readDatasetIfExists } from '../dataset/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { DatabaseSet } from '../tasks/sql/databases.js';
import { SqliteExecutor } from '../tasks/sql/execute/index.js';
import type { SqlExecutionResult } from '../tasks/sql/execute/sqlite-executor.js';
import { loadSqlParser } from '../tasks/sql/parse.js';
import { openReadOnly, readSqliteSchema, type SqlSchema } from '../tasks/sql/schema.js';
import { meanPairwiseCosine } from './embedding-similarity.js';
import { type Faithfulness, faithfulnessFromLines } from './faithfulness.js';
import { judgeExamples } from './judge.js';
import { readPrograms } from './predictions.js';
import { type ProgramDiversity, programDiversity } from './program-diversity.js';
import { sameResult } from './sql-accuracy.js';
import { type TextDiversity, textDiversity } from './text-diversity.js';

/** Every direct metric of one dataset. */
export interface DatasetMetrics {
  readonly path: string;
  readonly faithfulness: Faithfulness;
  readonly text: TextDiversity;
  readonly programs: ProgramDiversity;
  /** Lines that were not examples. */
  readonly invalidLines: number;
}

/** A dataset's metrics, side by side with a reference dataset's when one was given. */
export interface DatasetEvaluation {
  readonly dataset: DatasetMetrics;
  readonly reference?: DatasetMetrics;
}

/** Options of {@link evaluateDataset}. */
export interface DatasetEvaluateOptions {
  /** The dataset JSONL (accepted lines; `status: rejected` lines count in the funnel only). */
  readonly dataset: string;
  /** Rejected lines kept apart (a run directory's `rejected.jsonl`). */
  readonly rejected?: string;
  /** A reference dataset (e.g. the human training set) measured the same way. */
  readonly reference?: string;
  /** `--db`: validity by execution, accuracy against gold, schema coverage. */
  readonly db?: string;
  /** Gold programs (JSONL or plain), matched to examples by id, else by question. */
  readonly gold?: string;
  /** A model for LLM-as-judge on a sample. */
  readonly judge?: LlmProvider;
  /** @default 50 */
  readonly judgeSample?: number;
  /** Compute the embedding cosine (loads the offline model). @default true */
  readonly embeddings?: boolean;
  /** @default 200 */
  readonly embeddingSample?: number;
  readonly timeoutMs?: number;
}

/**
 * Direct evaluation of a dataset: faithfulness (status and confidence distributions, clusters,
 * validity by execution, accuracy against gold when there is gold, LLM-as-judge on a sample) and
 * diversity of the text and of the programs, for the dataset and for a reference beside it.
 */
export async function evaluateDataset(options: DatasetEvaluateOptions): Promise<DatasetEvaluation> {
  await loadSqlParser();
  const databases = options.db ? DatabaseSet.open(options.db) : undefined;
  const executor = databases ? new SqliteExecutor({ timeoutMs: options.timeoutMs ?? 5000 }) : undefined;
  const schemas = databases ? new Map<string, SqlSchema>() : undefined;
  const schemaOf = (dbId: string | undefined): SqlSchema | undefined => {
    if (!databases) return undefined;
    const environment = databases.resolve(dbId);
    const key = databases.isFolder ? environment.id : '';
    let schema = schemas!.get(key);
    if (!schema) {
      const db = openReadOnly(environment.path);
      try {
        schema = readSqliteSchema(db);
      } finally {
        db.close();
      }
      schemas!.set(key, schema);
    }
    return schema;
  };
  const execute = (program: string, dbId: string | undefined): Promise<SqlExecutionResult> =>
    executor!.execute(program, databases!.resolve(dbId)) as Promise<SqlExecutionResult>;
  try {
    const measure = async (path: string, rejectedPath: string | undefined, isReference: boolean) => {
      const dataset = await readDataset(path, { includeRejected: true });
      const accepted = dataset.examples.filter((example) => example.status !== 'rejected');
      const rejectedInline = dataset.examples.filter((example) => example.status === 'rejected');
      const rejectedFile = rejectedPath
        ? ((await readDatasetIfExists(rejectedPath, { includeRejected: true }))?.examples ?? [])
        : [];
      let faithfulness = faithfulnessFromLines(accepted, [...rejectedInline, ...rejectedFile]);
      if (executor) {
        for (const example of accepted) schemaOf(example.dbId);
        faithfulness = { ...faithfulness, validity: await validity(accepted, execute) };
        const gold = await goldAccuracy(accepted, isReference ? undefined : options.gold, execute);
        if (gold) faithfulness = { ...faithfulness, gold };
      }
      if (!isReference && options.judge) {
        const schemaText = (dbId: string | undefined) =>
          schemaOf(dbId)
            ?.tables.map((table) => table.createSql)
            .join('\n');
        const { verdicts: _verdicts, ...judge } = await judgeExamples(accepted, options.judge, {
          sample: options.judgeSample ?? 50,
          schema: schemaText,
        });
        faithfulness = { ...faithfulness, judge };
      }
      const questions = accepted.map((example) => example.question);
      let text = textDiversity(questions);
      if (options.embeddings !== false) {
        text = {
          ...text,
          embeddingCosine: await meanPairwiseCosine(questions, options.embeddingSample ?? 200),
        };
      }
      const programs = programDiversity(
        accepted.map((example) => ({
          program: example.program,
          ...(example.dbId ? { dbId: example.dbId } : {}),
        })),
        schemas,
      );
      return {
        path,
        faithfulness,
        text,
        programs,
        invalidLines: dataset.errors.length,
      } satisfies DatasetMetrics;
    };
    const dataset = await measure(options.dataset, options.rejected, false);
    const reference = options.reference ? await measure(options.reference, undefined, true) : undefined;
    return { dataset, ...(reference ? { reference } : {}) };
  } finally {
    await executor?.close();
  }
}

async function validity(
  examples: readonly DatasetExample[],
  execute: (program: string, dbId: string | undefined) => Promise<SqlExecutionResult>,
): Promise<NonNullable<Faithfulness['validity']>> {
  const results = await Promise.all(examples.map((example) => execute(example.program, example.dbId)));
  const ok = results.filter((result) => result.status === 'ok');
  return {
    executed: results.length,
    ok: ok.length,
    empty: ok.filter((result) => (result.size ?? 0) === 0).length,
    error: results.length - ok.length,
  };
}

async function goldAccuracy(
  examples: readonly DatasetExample[],
  goldPath: string | undefined,
  execute: (program: string, dbId: string | undefined) => Promise<SqlExecutionResult>,
): Promise<Faithfulness['gold']> {
  const byId = new Map<string, string>();
  const byQuestion = new Map<string, string>();
  if (goldPath) {
    for (const entry of readPrograms(goldPath, 'gold')) {
      if (entry.id !== undefined) byId.set(entry.id, entry.program);
      if (entry.question !== undefined)
        byQuestion.set(`${entry.dbId ?? ''}\u0000${foldQuestion(entry.question)}`, entry.program);
    }
  }
  const pairs = examples
    .map((example) => ({
      example,
      gold:
        example.gold ??
        byId.get(example.id) ??
        byQuestion.get(`${example.dbId ?? ''}\u0000${foldQuestion(example.question)}`) ??
        byQuestion.get(`\u0000${foldQuestion(example.question)}`),
    }))
    .filter((pair): pair is { example: DatasetExample; gold: string } => pair.gold !== undefined);
  if (pairs.length === 0) return undefined;
  const correct = await Promise.all(
    pairs.map(async ({ example, gold }) => {
      const [expected, got] = await Promise.all([
        execute(gold, example.dbId),
        execute(example.program, example.dbId),
      ]);
      return sameResult(expected, got);
    }),
  );
  const count = correct.filter(Boolean).length;
  return { count: pairs.length, correct: count, accuracy: count / pairs.length };
}

import { type DatasetExample, foldQuestion, readDataset, readDatasetIfExists } from '../dataset/index.js';
import { ConfigError } from '../errors/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { createKnowledgeCache, PLAIN_KNOWLEDGE } from '../prompt/knowledge-cache.js';
import { compilePromptTemplate } from '../prompt/prompt-template.js';
import { defaultTask } from '../tasks/registry/index.js';
import type {
  ExecutionEnvironment,
  ExecutionResult,
  Executor,
  GenerationSource,
  SourceSchema,
  TaskPlugin,
  TaskRecord,
  TaskReference,
} from '../tasks/spec.js';
import { meanPairwiseCosine } from './embedding-similarity.js';
import { type Faithfulness, faithfulnessFromLines } from './faithfulness.js';
import { judgeExamples } from './judge.js';
import { type ProgramDiversity, programDiversity } from './program-diversity.js';
import { sourceOf } from './task-accuracy.js';
import { readTaskRecords } from './task-records.js';
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
  /** The task of the programs. @default sql (the registry's default task) */
  readonly task?: TaskPlugin<never>;
  /** Its executor options (`--timeout-ms`, `--workers`, bash `--execute`/`--fixture`). */
  readonly taskOptions?: Readonly<Record<string, unknown>>;
  /** The dataset JSONL (accepted lines; `status: rejected` lines count in the funnel only). */
  readonly dataset: string;
  /** Rejected lines kept apart (a run directory's `rejected.jsonl`). */
  readonly rejected?: string;
  /** A reference dataset (e.g. the human training set) measured the same way. */
  readonly reference?: string;
  /**
   * `--db`: the sources of a task with `sources` (SQL: a SQLite file or folder), for validity by
   * execution, accuracy against gold and schema coverage. A task without sources runs without it.
   */
  readonly db?: string;
  /** Gold programs (JSONL or plain), matched to examples by id, else by question. */
  readonly gold?: string;
  /** A model for LLM-as-judge on a sample (the task's `generation.prompts.judge`). */
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
 * Direct evaluation of a dataset of any task, through the task contract: faithfulness (status and
 * confidence distributions, clusters, validity by execution with the task's executor, accuracy
 * against gold when there is gold, LLM-as-judge on a sample with the task's judge prompt and
 * knowledge) and diversity of the text and of the programs, for the dataset and for a reference
 * beside it. A task with `sources` (SQL) executes only with `db`; one without executes always.
 */
export async function evaluateDataset(options: DatasetEvaluateOptions): Promise<DatasetEvaluation> {
  const task = options.task ?? defaultTask();
  const judgeTemplate = options.judge ? judgeTemplateOf(task) : undefined;
  await task.ready?.();
  const taskOptions = { ...(options.taskOptions ?? {}), timeoutMs: options.timeoutMs ?? 5000 };
  // where programs run: the task's sources (SQL: the databases of --db; without --db, nowhere), else
  // each example's own environment
  const sources: readonly GenerationSource[] | null | undefined = task.sources
    ? options.db === undefined
      ? undefined
      : task.sources({ db: options.db, executor: taskOptions })
    : null;
  const executor: Executor | undefined =
    sources === undefined ? undefined : task.createExecutor(taskOptions as never);
  const schemas = sources && task.schema ? new Map<string, SourceSchema>() : undefined;
  const knowledge = createKnowledgeCache(task, {
    options: PLAIN_KNOWLEDGE,
    executor: taskOptions,
  });
  try {
    const measure = async (path: string, rejectedPath: string | undefined, isReference: boolean) => {
      const fields = task.generation?.fields;
      const dataset = await readDataset(path, { includeRejected: true, ...(fields ? { fields } : {}) });
      const accepted = dataset.examples.filter((example) => example.status !== 'rejected');
      const rejectedInline = dataset.examples.filter((example) => example.status === 'rejected');
      const rejectedFile = rejectedPath
        ? ((await readDatasetIfExists(rejectedPath, { includeRejected: true, ...(fields ? { fields } : {}) }))
            ?.examples ?? [])
        : [];
      const sourceOfExample = (example: DatasetExample): GenerationSource | undefined =>
        sources ? sourceOf(task, example.raw, sources, path, example.line, 'dataset') : undefined;
      const environmentOf = (example: DatasetExample): ExecutionEnvironment => {
        const source = sourceOfExample(example);
        if (source) return task.environment?.(example.raw, source) ?? source;
        return task.environment?.(example.raw) ?? { id: example.id };
      };
      let faithfulness = faithfulnessFromLines(accepted, [...rejectedInline, ...rejectedFile]);
      if (executor) {
        if (sources && schemas) {
          for (const example of accepted) {
            const source = sourceOfExample(example)!;
            const key = sources.length === 1 ? '' : source.id;
            if (!schemas.has(key)) schemas.set(key, task.schema!(source));
          }
        }
        const environments = accepted.map(environmentOf);
        const execute = (program: string, index: number, environment?: ExecutionEnvironment) =>
          executor.execute(program, environment ?? environments[index]!);
        faithfulness = { ...faithfulness, validity: await validity(accepted, execute) };
        const gold = await goldAccuracy(
          task,
          accepted,
          isReference ? undefined : options.gold,
          execute,
          sources === null,
        );
        if (gold) faithfulness = { ...faithfulness, gold };
      }
      if (!isReference && options.judge && judgeTemplate) {
        const knowledgeOf = (example: DatasetExample): string => {
          if (!task.knowledge || sources === undefined) return '';
          const source = sourceOfExample(example) ?? { id: task.id };
          const opened = knowledge.of(source);
          return opened.view({ seed: 0, record: example.raw }).text;
        };
        const { verdicts: _verdicts, ...judge } = await judgeExamples(accepted, options.judge, {
          sample: options.judgeSample ?? 50,
          messages: (example) =>
            judgeTemplate.render({
              knowledge: knowledgeOf(example),
              question: example.question,
              program: example.program,
            }),
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
        task,
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
    knowledge.close();
    await executor?.close();
  }
}

/** The task's judge prompt, compiled; a task without one refuses `--judge-model` in one line. */
function judgeTemplateOf(task: TaskPlugin<never>) {
  const prompt = task.generation?.prompts.judge;
  if (!prompt) {
    throw new ConfigError('--judge-model', [
      {
        path: '',
        message: `the ${task.id} task has no judge prompt (generation.prompts.judge): leave out --judge-model`,
      },
    ]);
  }
  return compilePromptTemplate(prompt, `task ${task.id}: generation.prompts.judge`);
}

async function validity(
  examples: readonly DatasetExample[],
  execute: (program: string, index: number) => Promise<ExecutionResult>,
): Promise<NonNullable<Faithfulness['validity']>> {
  const results = await Promise.all(examples.map((example, index) => execute(example.program, index)));
  const ok = results.filter((result) => result.status === 'ok');
  return {
    executed: results.length,
    ok: ok.length,
    // a result of size 0 (SQL: no rows); a task whose results have no size has no empty ones
    empty: ok.filter((result) => result.size === 0).length,
    error: results.length - ok.length,
  };
}

/** What a gold record expects: the task's `reference`, else its `program`. */
function referenceOf(task: TaskPlugin<never>, record: TaskRecord): TaskReference | null {
  if (task.reference) return task.reference(record);
  return typeof record.program === 'string' ? { program: record.program } : null;
}

const recordString = (record: TaskRecord, names: readonly (string | undefined)[]) => {
  for (const name of names) if (name && typeof record[name] === 'string') return record[name] as string;
  return undefined;
};

/** A gold reference, with the gold record's own environment when the example runs there (a key: MBPP's tests). */
interface Gold {
  readonly reference: TaskReference;
  readonly environment?: ExecutionEnvironment;
}

/**
 * Accuracy of the examples against gold (a line's own `gold`, else the gold file's line with the
 * same id, else the same question): the gold program run in the example's environment, or for a
 * gold that gives a result key (Python: passing the gold line's tests) the example run in the gold
 * line's environment when the task has no sources; compared as `symgen evaluate --pred` compares
 * (the task's `matches`, else equal result keys).
 */
async function goldAccuracy(
  task: TaskPlugin<never>,
  examples: readonly DatasetExample[],
  goldPath: string | undefined,
  execute: (program: string, index: number, environment?: ExecutionEnvironment) => Promise<ExecutionResult>,
  ownEnvironments: boolean,
): Promise<Faithfulness['gold']> {
  const byId = new Map<string, Gold>();
  const byQuestion = new Map<string, Gold>();
  if (goldPath) {
    const questionFields = ['question', 'nl', 'text', 'utterance', task.generation?.fields.question];
    for (const entry of readTaskRecords(goldPath, 'gold')) {
      const reference = referenceOf(task, entry.record);
      if (!reference) continue;
      const environment =
        reference.key !== undefined && ownEnvironments ? task.environment?.(entry.record) : undefined;
      const gold: Gold = { reference, ...(environment ? { environment } : {}) };
      if (entry.id !== undefined) byId.set(entry.id, gold);
      const question = recordString(entry.record, questionFields);
      const dbId = recordString(entry.record, ['db_id', 'dbId']) ?? '';
      if (question !== undefined) byQuestion.set(`${dbId}\u0000${foldQuestion(question)}`, gold);
    }
  }
  const pairs = examples
    .map((example, index) => ({
      index,
      example,
      gold:
        (example.gold === undefined ? undefined : { reference: { program: example.gold } }) ??
        byId.get(example.id) ??
        byQuestion.get(`${example.dbId ?? ''}\u0000${foldQuestion(example.question)}`) ??
        byQuestion.get(`\u0000${foldQuestion(example.question)}`),
    }))
    .filter(
      (pair): pair is { index: number; example: DatasetExample; gold: Gold } => pair.gold !== undefined,
    );
  if (pairs.length === 0) return undefined;
  const correct = await Promise.all(
    pairs.map(async ({ index, example, gold: { reference, environment } }) => {
      const [expected, got] = await Promise.all([
        reference.key === undefined ? execute(reference.program, index) : undefined,
        execute(example.program, index, environment),
      ]);
      if (expected === undefined) return got.status === 'ok' && got.key === reference.key;
      return task.matches
        ? task.matches(got, expected)
        : expected.status === 'ok' && got.status === 'ok' && got.key === expected.key;
    }),
  );
  const count = correct.filter(Boolean).length;
  return { count: pairs.length, correct: count, accuracy: count / pairs.length };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knowledgeConfigSchema } from '../config/index.js';
import { InputError } from '../errors/index.js';
import { writeLinesAtomically } from '../io/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { createKnowledgeCache } from '../prompt/knowledge-cache.js';
import { compilePromptTemplate } from '../prompt/prompt-template.js';
import type { TaskPlugin, TaskRecord } from '../tasks/spec.js';
import { sourceOf } from './task-accuracy.js';
import { goldQuestions, readTaskRecords } from './task-records.js';

/** Settings of {@link withModelPredictions}. */
export interface ModelPredictionOptions {
  readonly task: TaskPlugin<never>;
  readonly taskOptions?: Readonly<Record<string, unknown>>;
  /** The gold file: its questions are asked. */
  readonly gold: string;
  /** `--db`: the sources of a task that has them (SQL: a SQLite file or a folder of databases). */
  readonly db?: string;
  readonly model: LlmProvider;
  /** Where the predictions go (JSONL: `id`, the environment's id, `program`); else a temporary file. */
  readonly out?: string;
  /** Completion tokens of one answer. @default 512 */
  readonly maxTokens?: number;
}

/**
 * `symgen evaluate --model`, for every task: ask a model for the program of every gold question,
 * zero-shot, in the task's own `gen_a` prompt (the knowledge the task shows of the record's source,
 * no demonstrations), one sample at temperature 0, and take the program out of each answer with the
 * task's `extract`. The predictions are written to `out` (or a temporary file removed after `use`)
 * and `use` scores them. A failed call or an answer with no program is an empty prediction, which
 * scores as wrong: one bad answer is data.
 */
export async function withModelPredictions<T>(
  options: ModelPredictionOptions,
  use: (predictions: string, failed: number) => Promise<T>,
): Promise<T> {
  const { task, model } = options;
  const prompts = task.generation?.prompts.genA;
  if (!prompts) {
    throw new InputError(
      `task ${task.id} has no gen_a prompt (generation.prompts.genA) to ask a model with: score predictions with --pred FILE`,
    );
  }
  const template = compilePromptTemplate(prompts, `task ${task.id} prompts.genA`);
  const gold = readTaskRecords(options.gold, 'gold');
  await task.ready?.();
  const executor = { ...(options.taskOptions ?? {}) };
  const sources = task.sources?.({ ...(options.db === undefined ? {} : { db: options.db }), executor }) ?? [
    { id: task.id },
  ];
  const knowledge = createKnowledgeCache(task, { options: knowledgeConfigSchema.parse({}), executor });
  let failed = 0;
  const folder = options.out === undefined ? mkdtempSync(join(tmpdir(), 'symgen-pred-')) : undefined;
  const predictions = options.out ?? join(folder!, 'predictions.jsonl');
  try {
    const questions = goldQuestions(task, gold, options.gold);
    const asked = gold.map((entry, index) => {
      const question = questions[index]!;
      const source = sourceOf(task, entry.record, sources, options.gold, entry.line);
      const record: TaskRecord = { ...entry.record, question };
      const view = knowledge.of(source).view({ seed: 0, record });
      return {
        entry,
        source,
        messages: template.render({
          ...view.variables,
          knowledge: view.text,
          demonstrations: [],
          question,
          source: source.id,
          db_id: source.id,
        }),
      };
    });
    const programs = await Promise.all(
      asked.map(async ({ messages }) => {
        try {
          const result = await model.doGenerate({
            messages,
            n: 1,
            temperature: 0,
            maxTokens: options.maxTokens ?? 512,
          });
          return task.extract(result.samples[0]?.text ?? '') ?? '';
        } catch {
          // counted; the example scores as wrong rather than stopping the evaluation
          failed++;
          return '';
        }
      }),
    );
    await writeLinesAtomically(
      predictions,
      (async function* () {
        for (const [index, { entry, source }] of asked.entries()) {
          yield JSON.stringify({
            ...(entry.id === undefined ? {} : { id: entry.id }),
            ...(sources.length > 1 ? { db_id: source.id } : {}),
            program: programs[index],
          });
        }
      })(),
    );
    return await use(predictions, failed);
  } finally {
    knowledge.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

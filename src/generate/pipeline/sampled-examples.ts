import type { Executor, GenerationSource, TaskPlugin } from '../../tasks/spec.js';
import { datasetFields, sourceProvenance } from './gen-a.js';

/** One example drawn without a model, as its dataset line. */
export interface SampledExample {
  readonly id: string;
  readonly question: string;
  readonly record: Record<string, unknown>;
  readonly features: Record<string, unknown> | undefined;
}

/**
 * Programs-first examples of one source, for any task with a sampler: each sampled program gets its
 * question (the sampler's, else the task's `describe`); one the sampler did not run is executed once
 * with the task's executor and dropped when it fails. Stops after `maxDraws` programs. Used by the
 * offline `symgen generate` and by `symgen sample`.
 */
export async function* sampledExamples(options: {
  readonly task: TaskPlugin<never>;
  readonly source: GenerationSource;
  readonly seed: number;
  readonly count: number;
  readonly maxDraws: number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly executor: () => Executor;
  readonly signal?: AbortSignal;
}): AsyncGenerator<SampledExample> {
  const { task, source } = options;
  let draws = 0;
  for await (const sampled of task.sample!({
    source,
    seed: options.seed,
    count: options.count,
    options: options.options,
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    // a sampler can run without ever yielding to the event loop; let signals (Ctrl-C) through
    if (++draws % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
    if (draws > options.maxDraws) return;
    const question = sampled.question ?? task.describe?.(sampled.program);
    if (!question) continue;
    const id = sampled.id ?? `${source.id}-${draws - 1}`;
    let result: { key?: string; preview?: unknown; size?: number } | undefined;
    if (!sampled.executed) {
      const line = { id, question, program: sampled.program, ...sampled.fields };
      const executed = await options
        .executor()
        .execute(
          sampled.program,
          task.environment?.(line, source) ?? source,
          options.signal ? { signal: options.signal } : {},
        );
      if (executed.status !== 'ok') continue;
      result = {
        ...(executed.key === undefined ? {} : { key: executed.key }),
        ...(executed.preview === undefined ? {} : { preview: executed.preview }),
        ...(executed.size === undefined ? {} : { size: executed.size }),
      };
    }
    const features = sampled.features ?? task.features?.(sampled.program);
    yield {
      id,
      question,
      features,
      record: {
        id,
        question,
        ...(source.path === undefined ? {} : { db_id: source.id }),
        status: 'accepted',
        program: sampled.program,
        ...datasetFields(
          { task },
          {
            question,
            program: sampled.program,
            fields: sampled.fields ?? {},
            ...(result ? { result } : {}),
          },
        ),
        ...sampled.fields,
        confidence: 1,
        ...(features ? { features } : {}),
        ...(result ? { result } : {}),
        provenance: {
          method: 'programs-first',
          task: task.id,
          ...sampled.provenance,
          ...sourceProvenance(source),
        },
      },
    };
  }
}

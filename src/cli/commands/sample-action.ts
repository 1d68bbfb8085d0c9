import { ConfigError, SymgenError } from '../../errors/index.js';
import { sampledExamples } from '../../generate/pipeline/sampled-examples.js';
import { checkOutputFile, writeLinesAtomically } from '../../io/index.js';
import type { LlmProvider } from '../../llm/spec.js';
import type { Executor } from '../../tasks/spec.js';
import { Progress } from '../progress.js';
import { integerFlag } from './flags.js';
import { taskFromFlags } from './task-flags.js';

/** Run `symgen sample` with parsed flags (any task with a sampler); returns the exit code. */
export async function runSample(flags: Record<string, string | boolean | undefined>): Promise<number> {
  const task = await taskFromFlags(flags);
  if (!task.sample) {
    const { builtinTasks } = await import('../../tasks/registry/index.js');
    const withSampler = builtinTasks()
      .filter((known) => known.sample)
      .map((known) => known.id);
    throw new ConfigError('--task', [
      {
        path: '',
        message: `the ${task.id} task has no sampler (tasks with one: ${withSampler.join(', ')}); generate with a model instead: symgen generate --task ${task.id} --model ID --base-url URL`,
      },
    ]);
  }
  const count = integerFlag('--count', flags.count, 1);
  checkOutputFile(String(flags.out), '--out');
  const seed = integerFlag('--seed', flags.seed);
  const maxRows = integerFlag('--max-rows', flags.maxRows);
  if (typeof flags.mix === 'string' && !task.mix)
    throw new ConfigError('--mix', [
      { path: '', message: `the ${task.id} task has no mix to aim at: leave out --mix` },
    ]);
  const mix = typeof flags.mix === 'string' ? task.mix!.parse(flags.mix) : undefined;
  await task.ready?.();
  const all = task.sources?.({ ...(typeof flags.db === 'string' ? { db: flags.db } : {}), executor: {} }) ?? [
    { id: task.id },
  ];
  const ids = selectSources(
    all.map((source) => source.id),
    flags.databases,
  );
  const sources = new Map(all.map((source) => [source.id, source]));
  const folder = all.length > 1;
  const llm = flags.paraphrase === true ? await createModel(flags) : undefined;
  const parses = integerFlag('--parses', flags.parses);
  // the task's sampler rewrites its questions with the model (SQL: kept when they parse back)
  const paraphrase = llm ? { model: llm, parses } : undefined;
  let executor: Executor | undefined;
  const executorOf = () => {
    executor ??= task.createExecutor({ timeoutMs: 5000 } as never);
    return executor;
  };

  const progress = new Progress('sample', count * ids.length);
  const produced = new Map<string, number>();
  const skipped: string[] = [];
  const started = performance.now();
  let done = 0;
  async function* lines(): AsyncGenerator<string> {
    for (const id of ids) {
      try {
        for await (const example of sampledExamples({
          task,
          source: sources.get(id)!,
          seed,
          count,
          maxDraws: count * 4 + 16,
          options: {
            maxRows,
            allowDegenerate: flags.allowDegenerate === true,
            ...mix,
            ...(paraphrase ? { paraphrase } : {}),
          },
          executor: executorOf,
        })) {
          produced.set(id, (produced.get(id) ?? 0) + 1);
          progress.update(++done, id);
          yield JSON.stringify(example.record);
          if ((produced.get(id) ?? 0) >= count) break;
        }
      } catch (error) {
        // In a folder, one unusable database (no tables, no rows) is reported and skipped.
        if (!(error instanceof SymgenError) || !folder) throw error;
        skipped.push(`${id} (${error.message})`);
      }
    }
  }
  let written: number;
  try {
    written = await writeLinesAtomically(String(flags.out), lines());
  } finally {
    await executor?.close();
  }
  progress.end();
  const seconds = (performance.now() - started) / 1000;
  const short = ids.filter(
    (id) => (produced.get(id) ?? 0) < count && !skipped.some((line) => line.startsWith(`${id} `)),
  );
  process.stderr.write(
    `sampled ${written} programs from ${ids.length - skipped.length} source${ids.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s -> ${String(flags.out)}\n`,
  );
  if (ids.length > 1)
    process.stderr.write(`per database: ${ids.map((id) => `${id} ${produced.get(id) ?? 0}`).join(', ')}\n`);
  for (const id of short)
    process.stderr.write(
      `note: ${id} gave ${produced.get(id) ?? 0} of ${count} (it has too few distinct programs)\n`,
    );
  for (const line of skipped) process.stderr.write(`skipped: ${line}\n`);
  return 0;
}

function selectSources(ids: readonly string[], wanted: unknown): string[] {
  if (typeof wanted !== 'string') return [...ids];
  const chosen = wanted
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = chosen.filter((id) => !ids.includes(id));
  if (unknown.length > 0 || chosen.length === 0) {
    throw new ConfigError('--databases', [
      {
        path: '',
        message: `unknown database ${unknown.join(', ') || '(none given)'}; this --db has ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''}`,
      },
    ]);
  }
  return chosen;
}

async function createModel(flags: Record<string, string | boolean | undefined>): Promise<LlmProvider> {
  const { createLlm } = await import('../../llm/create-llm.js');
  const kind = flags.provider === 'anthropic' ? 'anthropic' : 'openai-compatible';
  if (flags.provider !== kind)
    throw new ConfigError('--provider', [
      { path: '', message: `expected openai-compatible or anthropic, got ${JSON.stringify(flags.provider)}` },
    ]);
  const model = typeof flags.model === 'string' ? flags.model : process.env.SYMGEN_MODEL;
  if (!model)
    throw new ConfigError('--model', [
      { path: '', message: '--paraphrase needs a model: pass --model NAME or set SYMGEN_MODEL' },
    ]);
  const llm = createLlm({
    provider: { kind, model, ...(typeof flags.baseUrl === 'string' ? { baseURL: flags.baseUrl } : {}) },
  });
  return llm.model;
}

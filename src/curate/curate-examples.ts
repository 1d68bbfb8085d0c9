import type { DatasetExample } from '../dataset/index.js';
import { foldQuestion } from '../dataset/index.js';
import { ConfigError } from '../errors/index.js';
import { defaultTask } from '../tasks/registry/index.js';
import type { MixShares, TaskPlugin } from '../tasks/spec.js';
import type { CurateOptions } from './curate-options.js';
import type { ContaminationIndex, ContaminationMatch } from './decontaminate.js';
import { cheapFilterVerdict, resultSizeVerdict } from './filters.js';
import { NearDuplicateIndex } from './minhash-lsh.js';
import { type RelabelContext, type RelabelVerdict, relabelExample } from './relabel.js';
import { computeWeights } from './reweight.js';

/** An example curation kept, with its weight and what the auxiliary model said. */
export interface CuratedExample {
  readonly example: DatasetExample;
  /** The program after relabelling (the original unless the model corrected it). */
  readonly program: string;
  readonly weight: number;
  readonly relabel?: RelabelVerdict & { readonly model: string; readonly previous?: string };
}

/** An example curation dropped, with the reason (a filter, a dedup step, the auxiliary model). */
export interface DroppedExample {
  readonly example: DatasetExample;
  readonly reason: string;
  readonly detail?: string;
  /** For duplicates: the id of the example kept in its place. */
  readonly duplicateOf?: string;
  readonly similarity?: number;
  /** For `contaminated`: the benchmark item the example copies. */
  readonly matched?: ContaminationMatch;
}

/** Counts of a curation run. */
export interface CurateSummary {
  readonly input: number;
  readonly kept: number;
  readonly dropped: Record<string, number>;
  readonly relabelled: Record<string, number>;
  readonly review: number;
  readonly meanWeight: number;
  /** With a target mix: its divergence from the kept examples, unweighted and weighted. */
  readonly mix?: {
    readonly before: Readonly<Record<string, number>>;
    readonly after: Readonly<Record<string, number>>;
  };
}

/** Everything a curation run produced. */
export interface CurateResult {
  /** In input order. */
  readonly kept: CuratedExample[];
  readonly dropped: DroppedExample[];
  /** Kept examples below `reviewBelow`, lowest confidence first. */
  readonly review: CuratedExample[];
  readonly summary: CurateSummary;
}

/** What curation can use besides the examples. */
export interface CurateContext {
  /** The task of the programs (normal form, features, shape). @default sql */
  readonly task?: TaskPlugin<never>;
  /** Row count of a program's result, or `undefined` when it did not execute (needs a database). */
  readonly resultRows?: (program: string, example: DatasetExample) => Promise<number | undefined>;
  /** Benchmark test items (`--decontaminate`): an example that copies one is dropped as `contaminated`. */
  readonly contamination?: ContaminationIndex;
  /** The auxiliary model; without it nothing is relabelled. */
  readonly relabel?: RelabelContext;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  /**
   * Re-weight toward this mix (the task's `mix.measure` of a reference), from the task's features of
   * each program (a task with a mix; SQL's parser must be loaded).
   */
  readonly mix?: {
    readonly target: MixShares;
    readonly options?: { readonly parts?: readonly string[]; readonly maxFactor?: number };
  };
}

/**
 * Curate examples: cheap heuristic filters, exact and normalised-program dedup, MinHash-LSH
 * near-duplicate questions (the most confident of a group is kept), result-size filters when a
 * database is at hand, relabelling of low-confidence examples by an auxiliary model, then weights
 * and the review queue. Every dropped example comes back with its reason.
 */
export async function curateExamples(
  examples: readonly DatasetExample[],
  options: CurateOptions,
  context: CurateContext = {},
): Promise<CurateResult> {
  const task = context.task ?? defaultTask();
  const dropped: DroppedExample[] = [];
  const drop = (
    example: DatasetExample,
    reason: string,
    extra: Omit<DroppedExample, 'example' | 'reason'> = {},
  ) => dropped.push({ example, reason, ...extra });

  let alive: DatasetExample[] = [];
  for (const example of examples) {
    if (example.status === 'rejected') {
      drop(example, 'rejected-by-verifier', example.reason ? { detail: example.reason } : {});
      continue;
    }
    const matched = context.contamination?.match(example.question, example.program || undefined);
    if (matched) {
      drop(example, 'contaminated', {
        matched,
        detail: `${matched.kind} with ${matched.file}:${matched.line} (id ${matched.id}): "${matched.shared}"`,
      });
      continue;
    }
    const verdict = cheapFilterVerdict(example, options.filters, task);
    if (verdict) drop(example, verdict.reason, { detail: verdict.detail });
    else alive.push(example);
  }

  // Higher confidence first, so the example a dedup step keeps is the best of its group.
  const byPriority = [...alive].sort(
    (left, right) => (right.confidence ?? 1) - (left.confidence ?? 1) || left.line - right.line,
  );
  const normalised = new Map<DatasetExample, string>();
  for (const example of byPriority) normalised.set(example, task.normalise(example.program));
  const survivors = new Set<DatasetExample>();
  const pairs = new Map<string, DatasetExample>();
  const perProgram = new Map<string, number>();
  const index = options.dedup.nearDuplicates
    ? new NearDuplicateIndex({ threshold: options.dedup.threshold })
    : undefined;
  const indexed: DatasetExample[] = [];
  for (const example of byPriority) {
    const program = `${example.dbId ?? ''}\u0000${normalised.get(example)}`;
    if (options.dedup.exact) {
      const key = `${program}\u0000${foldQuestion(example.question)}`;
      const first = pairs.get(key);
      if (first) {
        drop(example, 'duplicate', { duplicateOf: first.id, detail: 'same question and program' });
        continue;
      }
      pairs.set(key, example);
    }
    const seen = perProgram.get(program) ?? 0;
    if (options.dedup.maxPerProgram > 0 && seen >= options.dedup.maxPerProgram) {
      drop(example, 'program-repeated', {
        detail: `already ${seen} examples with this normalised program`,
      });
      continue;
    }
    if (index) {
      const match = index.add(example.question, example.dbId);
      indexed.push(example);
      if (match.duplicateOf !== -1) {
        const kept = indexed[match.duplicateOf]!;
        drop(example, 'near-duplicate', {
          duplicateOf: kept.id,
          similarity: Math.round(match.similarity * 1000) / 1000,
          detail: `question similar to "${kept.question}"`,
        });
        continue;
      }
    }
    perProgram.set(program, seen + 1);
    survivors.add(example);
  }
  alive = alive.filter((example) => survivors.has(example));

  if (
    context.resultRows &&
    (options.filters.minResultRows > 0 || options.filters.maxResultRows !== undefined)
  ) {
    const rows = await Promise.all(alive.map((example) => context.resultRows!(example.program, example)));
    alive = alive.filter((example, position) => {
      const count = rows[position];
      if (count === undefined) {
        drop(example, 'execution-error', { detail: 'the program did not execute on its database' });
        return false;
      }
      const verdict = resultSizeVerdict(count, options.filters);
      if (verdict) drop(example, verdict.reason, { detail: verdict.detail });
      return !verdict;
    });
  }

  const relabels = new Map<DatasetExample, NonNullable<CuratedExample['relabel']>>();
  const relabelled: Record<string, number> = {};
  if (context.relabel) {
    const chosen = alive
      .filter((example) => example.confidence !== undefined && example.confidence < options.relabel.below)
      .sort((left, right) => left.confidence! - right.confidence! || left.line - right.line)
      .slice(0, options.relabel.limit);
    let done = 0;
    const model = context.relabel.model.modelId;
    await Promise.all(
      chosen.map(async (example) => {
        const verdict = await relabelExample(example, context.relabel!);
        relabelled[verdict.verdict] = (relabelled[verdict.verdict] ?? 0) + 1;
        relabels.set(example, {
          ...verdict,
          model,
          ...(verdict.verdict === 'corrected' ? { previous: example.program } : {}),
        });
        context.onProgress?.('relabel', ++done, chosen.length);
      }),
    );
    alive = alive.filter((example) => {
      if (relabels.get(example)?.verdict !== 'wrong') return true;
      drop(example, 'relabel-wrong', { detail: `${model} judged the program wrong and gave no working fix` });
      return false;
    });
  }

  const final = alive.map((example) => {
    const relabel = relabels.get(example);
    return relabel?.verdict === 'corrected' ? { ...example, program: relabel.program } : example;
  });
  // the task's mix (SQL: hardness, clauses, tables), from its features of each kept program
  const mix = context.mix && task.mix ? { ...context.mix, part: task.mix } : undefined;
  if (context.mix && !task.mix)
    throw new ConfigError('weight.mix', [
      {
        path: 'weight.mix',
        message: `the ${task.id} task has no mix to re-weight toward: leave out --target-mix`,
      },
    ]);
  const features = mix ? final.map((example) => task.features?.(example.program) ?? {}) : undefined;
  const weights = computeWeights(
    final,
    options.weight,
    (program) => task.template?.(program) ?? task.normalise(program),
    mix && features ? mix.part.weights(features, mix.target, mix.options) : undefined,
  );
  const mixSummary =
    mix && features
      ? {
          before: mix.part.divergence(mix.target, mix.part.measure(features)),
          after: mix.part.divergence(mix.target, mix.part.measure(features, weights)),
        }
      : undefined;
  const kept: CuratedExample[] = alive.map((example, position) => {
    const relabel = relabels.get(example);
    return {
      example,
      program: relabel?.verdict === 'corrected' ? relabel.program : example.program,
      weight: weights[position]!,
      ...(relabel ? { relabel } : {}),
    };
  });
  const review = kept
    .filter(
      (entry) => entry.example.confidence !== undefined && entry.example.confidence < options.reviewBelow,
    )
    .sort(
      (left, right) =>
        left.example.confidence! - right.example.confidence! || left.example.line - right.example.line,
    );
  dropped.sort((left, right) => left.example.line - right.example.line);
  const droppedCounts: Record<string, number> = {};
  for (const entry of dropped) droppedCounts[entry.reason] = (droppedCounts[entry.reason] ?? 0) + 1;
  return {
    kept,
    dropped,
    review,
    summary: {
      input: examples.length,
      kept: kept.length,
      dropped: droppedCounts,
      relabelled,
      review: review.length,
      meanWeight: kept.length === 0 ? 0 : kept.reduce((sum, entry) => sum + entry.weight, 0) / kept.length,
      ...(mixSummary ? { mix: mixSummary } : {}),
    },
  };
}

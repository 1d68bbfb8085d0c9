import type { TaskEvaluatedExample } from './task-accuracy.js';

/** Accuracy over a group of examples. */
export interface AccuracyCell {
  count: number;
  /** Execution accuracy: the prediction's result matches the gold result (the task's `matches`). */
  execution: number;
  /** Programs equal in the task's normal form (a lower bound on correctness). */
  exactMatch: number;
  /** The prediction executed without error. */
  valid: number;
}

/** Per-example outcome of an evaluation broken down (the breakdown feature's level under its own name, e.g. `hardness`). */
export interface EvaluatedExample {
  readonly line: number;
  readonly id?: string;
  readonly dbId: string;
  readonly hardness: string;
  readonly gold: string;
  readonly prediction: string | null;
  readonly correct: boolean;
  readonly goldStatus: string;
  readonly predictionStatus: string;
  readonly error?: string;
}

/**
 * Accuracy of a task with a `breakdown`, over the whole, by the feature's level (`byHardness` for
 * SQL: `by` and the feature's name) and by environment (`byDatabase`).
 */
export interface BreakdownEvaluation {
  readonly overall: AccuracyCell;
  readonly byHardness: Record<string, AccuracyCell>;
  readonly byDatabase: Record<string, AccuracyCell>;
  /** Gold programs that did not execute (counted as wrong: fix the gold). */
  readonly goldErrors: number;
  readonly missingPredictions: number;
  readonly examples: EvaluatedExample[];
}

/** One scored example with what the breakdown groups it by. */
export interface ScoredExample {
  readonly example: TaskEvaluatedExample;
  /** The environment the gold ran in (SQL: the record's database id). */
  readonly environmentId: string;
  /** The gold program's level of the breakdown feature (`unknown` when it has none). */
  readonly level: string;
  /** `missing` (no prediction line), `no-program` (none in its text), else the first sample's execution status. */
  readonly predictionStatus: string;
}

/** The breakdown of scored examples (the first sample of each). */
export function summariseBreakdown(
  scored: readonly ScoredExample[],
  breakdown: { readonly feature: string; readonly levels: readonly string[] },
): BreakdownEvaluation {
  const examples = scored.map(
    ({ example, environmentId, level, predictionStatus }) =>
      ({
        line: example.line,
        ...(example.id === undefined ? {} : { id: example.id }),
        dbId: environmentId,
        [breakdown.feature]: level,
        gold: example.gold,
        prediction: example.predictions[0] ?? null,
        correct: example.correct > 0,
        goldStatus: example.goldStatus,
        predictionStatus,
        ...(example.error === undefined ? {} : { error: example.error }),
      }) as unknown as EvaluatedExample,
  );
  const empty = (): AccuracyCell => ({ count: 0, execution: 0, exactMatch: 0, valid: 0 });
  const overall = empty();
  const byLevel: Record<string, AccuracyCell> = Object.fromEntries(
    breakdown.levels.map((level) => [level, empty()]),
  );
  const byDatabase: Record<string, AccuracyCell> = {};
  scored.forEach(({ example, environmentId, level, predictionStatus }) => {
    byLevel[level] ??= empty();
    byDatabase[environmentId] ??= empty();
    for (const cell of [overall, byLevel[level]!, byDatabase[environmentId]!]) {
      cell.count++;
      if (example.correct > 0) cell.execution++;
      if (example.normalisedMatch === true) cell.exactMatch++;
      if (predictionStatus === 'ok') cell.valid++;
    }
  });
  const ratio = (cell: AccuracyCell) => {
    if (cell.count === 0) return cell;
    return {
      count: cell.count,
      execution: cell.execution / cell.count,
      exactMatch: cell.exactMatch / cell.count,
      valid: cell.valid / cell.count,
    };
  };
  const byName = `by${breakdown.feature[0]!.toUpperCase()}${breakdown.feature.slice(1)}`;
  return {
    overall: ratio(overall),
    [byName]: Object.fromEntries(Object.entries(byLevel).map(([key, cell]) => [key, ratio(cell)])),
    byDatabase: Object.fromEntries(
      Object.entries(byDatabase)
        .sort()
        .map(([key, cell]) => [key, ratio(cell)]),
    ),
    goldErrors: examples.filter((example) => example.goldStatus !== 'ok').length,
    missingPredictions: examples.filter((example) => example.predictionStatus === 'missing').length,
    examples,
  } as unknown as BreakdownEvaluation;
}

/** Render a broken-down evaluation as a plain-text table for the terminal. */
export function formatEvaluationTable(evaluation: BreakdownEvaluation): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
  const row = (name: string, cell: AccuracyCell) =>
    `${name.padEnd(24)} ${String(cell.count).padStart(6)} ${percent(cell.execution)} ${percent(cell.exactMatch)} ${percent(cell.valid)}`;
  const lines = [
    `${'group'.padEnd(24)} ${'count'.padStart(6)} ${'exec'.padStart(7)} ${'exact'.padStart(7)} ${'valid'.padStart(7)}`,
  ];
  const byLevel = Object.entries(evaluation).find(
    ([key]) => key.startsWith('by') && key !== 'byDatabase',
  )?.[1] as Record<string, AccuracyCell>;
  for (const [level, cell] of Object.entries(byLevel)) if (cell.count > 0) lines.push(row(level, cell));
  lines.push(row('all', evaluation.overall), '');
  for (const [db, cell] of Object.entries(evaluation.byDatabase)) lines.push(row(db, cell));
  if (evaluation.goldErrors > 0)
    lines.push('', `${evaluation.goldErrors} gold programs did not execute (counted as wrong)`);
  if (evaluation.missingPredictions > 0)
    lines.push(`${evaluation.missingPredictions} gold examples have no prediction (counted as wrong)`);
  return lines.join('\n');
}

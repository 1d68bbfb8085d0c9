import type { DatasetExample } from '../dataset/index.js';
import type { JudgeSummary } from './judge.js';

/** Faithfulness figures of a dataset. */
export interface Faithfulness {
  readonly examples: number;
  /** Lines by `status` (accepted, rejected, ...), when the lines say. */
  readonly status: Record<string, number>;
  /** Rejected lines by `reason`. */
  readonly rejectReasons: Record<string, number>;
  /** Confidence (vote share) over the examples that carry one. */
  readonly confidence: {
    readonly known: number;
    readonly mean: number;
    readonly median: number;
    /** Ten equal bins over [0, 1]; a value of 1 falls in the last. */
    readonly histogram: number[];
  };
  /** How many result clusters the verifier saw per example (agreement), by count. */
  readonly clusters: Record<string, number>;
  /** Executing every program on its database (with `--db`). */
  readonly validity?: {
    readonly executed: number;
    readonly ok: number;
    readonly empty: number;
    readonly error: number;
  };
  /** Execution accuracy against gold programs, when gold exists. */
  readonly gold?: { readonly count: number; readonly correct: number; readonly accuracy: number };
  readonly judge?: Omit<JudgeSummary, 'verdicts'>;
}

/** The distributions that need no execution: status, reasons, confidence and clusters. */
export function faithfulnessFromLines(
  accepted: readonly DatasetExample[],
  rejected: readonly DatasetExample[] = [],
): Faithfulness {
  const status: Record<string, number> = {};
  const rejectReasons: Record<string, number> = {};
  for (const example of [...accepted, ...rejected]) {
    const key = example.status ?? (rejected.includes(example) ? 'rejected' : 'accepted');
    status[key] = (status[key] ?? 0) + 1;
    if (key === 'rejected') {
      const reason = example.reason ?? 'unknown';
      rejectReasons[reason] = (rejectReasons[reason] ?? 0) + 1;
    }
  }
  const values = accepted
    .map((example) => example.confidence)
    .filter((value): value is number => value !== undefined)
    .sort((left, right) => left - right);
  const histogram = new Array<number>(10).fill(0);
  for (const value of values) histogram[Math.min(9, Math.max(0, Math.floor(value * 10)))]!++;
  const clusters: Record<string, number> = {};
  for (const example of accepted) {
    if (example.clusters === undefined) continue;
    const key = example.clusters >= 5 ? '5+' : String(example.clusters);
    clusters[key] = (clusters[key] ?? 0) + 1;
  }
  const middle = values.length >> 1;
  return {
    examples: accepted.length,
    status,
    rejectReasons,
    confidence: {
      known: values.length,
      mean: values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length,
      median:
        values.length === 0
          ? 0
          : values.length % 2
            ? values[middle]!
            : (values[middle - 1]! + values[middle]!) / 2,
      histogram,
    },
    clusters,
  };
}

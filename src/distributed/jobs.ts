import { createHash } from 'node:crypto';
import type { VerifyOptionsInput } from '../verify/options.js';
import type { VerifySummary } from '../verify/summary.js';

/** The queue of verification work (chunks of candidate files). */
export const WORK_QUEUE = 'symgen-work';
/** The queue of model calls: global rate limit and concurrency apply to it alone. */
export const LLM_QUEUE = 'symgen-llm';

/** Which task a job runs: a built-in by id, or a module whose SHA-256 the worker checks. */
export interface TaskRef {
  readonly id: string;
  readonly module?: { readonly path: string; readonly sha256: string };
}

/** A chunk of a candidate file to verify: everything a worker needs, nothing it must look up. */
export interface VerifyChunkJob {
  readonly kind: 'verify-chunk';
  readonly task: TaskRef;
  /** The task's options as the coordinator has them (paths on the coordinator's machine). */
  readonly taskOptions: Readonly<Record<string, unknown>>;
  /** SHA-256 of each path-valued task option (`db`, `fixture`): the worker's copy must match. */
  readonly files: Readonly<Record<string, string>>;
  readonly verify: VerifyOptionsInput;
  /** Line number of the chunk's first line in the input (so messages name the input's lines). */
  readonly firstLine: number;
  /** Whole lines of the input, each ending in a newline. */
  readonly text: string;
}

/** What a worker sends back for a chunk: the verified lines in input order, and their counts. */
export interface VerifyChunkResult {
  readonly text: string;
  readonly summary: Omit<VerifySummary, 'durationMs'>;
}

/**
 * A job id from what determines the job's answer, so enqueueing again (a restarted coordinator)
 * finds the job already there, finished or not, instead of adding a second one.
 */
export function jobId(prefix: string, ...parts: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(typeof part === 'string' ? part : JSON.stringify(part)).update('\0');
  return `${prefix}-${hash.digest('hex').slice(0, 40)}`;
}

/**
 * How long finished jobs stay in Redis: long enough for a restarted coordinator to collect them,
 * bounded so a long-lived server does not fill up.
 */
export const KEEP_FINISHED = {
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 24 * 3600 },
} as const;

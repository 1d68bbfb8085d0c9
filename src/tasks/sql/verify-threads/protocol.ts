import type { VerifyOptions } from '../../../verify/options.js';
import type { VerifySummary } from '../../../verify/summary.js';
import type { SqliteLimits } from '../execute/protocol.js';

/** What a verify worker thread starts with. */
export interface VerifyWorkerInit {
  /** `--db`: one SQLite file or a folder of them. */
  readonly db: string;
  readonly options: VerifyOptions;
  readonly limits: SqliteLimits;
  readonly provenance: Record<string, unknown>;
}

/** The first message a thread gets: what to verify with. Chunks follow. */
export interface VerifyInitMessage {
  readonly type: 'init';
  readonly init: VerifyWorkerInit;
}

/** A run of whole input lines; `firstLine` is the 1-based number of its first line in the file. */
export interface VerifyChunk {
  readonly type: 'chunk';
  readonly seq: number;
  readonly firstLine: number;
  readonly text: string;
}

/** Counts of one chunk, added up by the main thread. */
export type ChunkCounts = Omit<VerifySummary, 'durationMs'>;

export type VerifyWorkerMessage =
  /** The chunk's output lines, each ending in a newline, in input order. */
  | { readonly type: 'done'; readonly seq: number; readonly output: string; readonly counts: ChunkCounts }
  /** A whole-run failure (a missing database): the run stops. */
  | { readonly type: 'fatal'; readonly error: { name: string; message: string; path?: string } };

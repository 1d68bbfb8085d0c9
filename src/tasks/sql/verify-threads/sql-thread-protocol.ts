import type { SqliteLimits } from '../execute/protocol.js';
import type { SqlExecutionResult } from '../execute/sqlite-executor.js';
import type { ThreadError } from './thread-errors.js';

export type SqlThreadRequest =
  /** Start a run: a fresh runner with these limits (and a fresh cache). */
  | { readonly type: 'init'; readonly limits: SqliteLimits }
  /** Statements to run, three strings each: database path, program, its text normal form. */
  | { readonly type: 'batch'; readonly seq: number; readonly calls: readonly string[] };

export type SqlThreadReply =
  /** The thread has loaded its modules. */
  | { readonly type: 'ready' }
  /**
   * A batch's results in call order, as numbers: result n is the n-th result this run has sent,
   * and `fresh` holds the ones first sent with this batch, in number order.
   */
  | {
      readonly type: 'results';
      readonly seq: number;
      readonly ids: number[];
      readonly fresh: SqlExecutionResult[];
      /** Statements executed for this batch (the rest came from the cache). */
      readonly executed: number;
    }
  | { readonly type: 'fatal'; readonly error: ThreadError };

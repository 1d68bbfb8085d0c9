import { type JsonlLine, readJsonl, writeLinesAtomically } from '../io/index.js';
import { DatabaseSet } from '../tasks/sql/databases.js';
import { resolveSqliteLimits } from '../tasks/sql/execute/protocol.js';
import {
  chooseVerifyExecutor,
  defaultVerifyThreads,
  VerifyThreadPool,
} from '../tasks/sql/verify-threads/verify-threaded.js';
import { SYMGEN_VERSION } from '../version.js';
import { parseVerifyOptions, type VerifyOptions, type VerifyOptionsInput } from './options.js';
import { countCandidates, countRecord, emptyVerifySummary, type VerifySummary } from './summary.js';

export { emptyVerifySummary, type VerifySummary };

import { type VerifiedRecord, type VerifyContext, verifyStream } from './verify-stream.js';

export interface VerifyFileOptions extends VerifyOptionsInput {
  readonly db: string;
  readonly input: string;
  readonly output: string;
  /**
   * Called after each example with its record. Records are built on worker threads, so asking for
   * them runs the verifier on executor processes instead; prefer `onProgress` for a display.
   */
  readonly onRecord?: (record: VerifiedRecord, summary: VerifySummary) => void;
  /** Called as examples finish (in batches), with the running counts. */
  readonly onProgress?: (summary: VerifySummary) => void;
  /**
   * Verify threads started earlier (`VerifyThreadPool.start`), so that their start-up overlapped the
   * caller's; used (and closed) instead of starting new ones. Implies `executor: 'threads'`.
   */
  readonly threads?: VerifyThreadPool;
}

/**
 * Verify a JSONL file of SQL candidates against SQLite databases and write the verified JSONL,
 * whole or not at all. Throws for whole-run failures (missing database, unreadable input); bad
 * lines become `invalid-input` rejections.
 */
export async function verifySqlFile(options: VerifyFileOptions): Promise<VerifySummary> {
  const { db, input, output, onRecord, onProgress, threads, ...rest } = options;
  let verifyOptions: VerifyOptions;
  let databases: DatabaseSet;
  let kind: 'threads' | 'processes';
  try {
    verifyOptions = parseVerifyOptions(threads ? { ...rest, executor: 'threads' } : rest);
    kind = chooseVerifyExecutor(verifyOptions.executor, onRecord !== undefined);
    databases = DatabaseSet.open(db);
  } catch (error) {
    await threads?.close();
    throw error;
  }
  const provenance = verifierProvenance('sql', verifyOptions, {
    compare: verifyOptions.compare,
    normalise: verifyOptions.normalise,
  });
  // The statement settings both executors take from the verify options.
  const executorOptions = {
    compare: verifyOptions.compare,
    timeoutMs: verifyOptions.timeoutMs,
    maxRows: verifyOptions.maxRows,
    normalise: verifyOptions.normalise,
  };
  if (kind === 'threads') {
    const pool = threads ?? VerifyThreadPool.shared(verifyOptions.workers ?? defaultVerifyThreads());
    return pool.verifyFile({
      input,
      output,
      init: {
        db,
        options: verifyOptions,
        limits: resolveSqliteLimits(executorOptions),
        provenance,
      },
      ...(onProgress ? { onProgress } : {}),
    });
  }
  // The executor processes' path loads its modules only when taken.
  const [{ SqliteExecutor }, { sqlTask }] = await Promise.all([
    import('../tasks/sql/execute/sqlite-executor.js'),
    import('../tasks/sql/index.js'),
  ]);
  const executor = new SqliteExecutor({
    ...executorOptions,
    ...(verifyOptions.workers ? { workers: verifyOptions.workers } : {}),
  });
  // Executor processes start while the input is read and the first examples are prepared.
  executor.warmUp();
  const started = performance.now();
  const summary = emptyVerifySummary();
  const context = {
    task: sqlTask,
    executor,
    environment: (dbId: string | undefined) => databases.resolve(dbId),
    options: verifyOptions,
    provenance,
  };
  try {
    await writeVerifiedFile(input, output, context, summary, (record, running) => {
      onRecord?.(record, running);
      onProgress?.(running);
    });
  } finally {
    summary.executed = executor.stats.executed;
    summary.durationMs = performance.now() - started;
    await executor.close();
  }
  return summary;
}

/**
 * The settings written as `verification` on every output line, so a reader can re-run the check:
 * the vote settings shared by every task, then the task's own (`extra`), then the symgen version.
 */
export function verifierProvenance(
  task: string,
  options: VerifyOptions,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    task,
    minVotes: options.minVotes,
    count: options.count,
    tie: options.tie,
    emptyResult: options.emptyResult,
    ...extra,
    timeoutMs: options.timeoutMs,
    symgen: SYMGEN_VERSION,
  };
}

/**
 * Stream `input` through the verifier into `output` (whole or not at all), counting into `summary`
 * and calling `onRecord` after each example. Shared by the SQL and the task-neutral file verifiers.
 */
export async function writeVerifiedFile(
  input: string,
  output: string,
  context: VerifyContext,
  summary: VerifySummary,
  onRecord?: (record: VerifiedRecord, summary: VerifySummary) => void,
): Promise<void> {
  async function* lines(): AsyncGenerator<string> {
    for await (const record of verifyStream(countingCandidates(readJsonl(input), summary), context)) {
      countRecord(summary, record);
      onRecord?.(record, summary);
      yield JSON.stringify(record);
    }
  }
  await writeLinesAtomically(output, lines());
}

/** Count the candidates of each line into `summary` as lines stream past. */
export async function* countingCandidates(
  lines: AsyncIterable<JsonlLine>,
  summary: VerifySummary,
): AsyncGenerator<JsonlLine> {
  for await (const line of lines) {
    countCandidates(summary, line.value);
    yield line;
  }
}

import { ConfigError } from '../../errors/index.js';
import type { VerifyOptions, VerifyOptionsInput } from '../../verify/options.js';
import { parseVerifyOptions } from '../../verify/options.js';
import { emptyVerifySummary, type VerifySummary } from '../../verify/summary.js';
import { writeVerifiedFile } from '../../verify/verify-file.js';
import type { VerifiedRecord } from '../../verify/verify-stream.js';
import type { TaskVerifyFileRequest } from '../../verify/verify-task-file.js';
import { DatabaseSet } from './databases.js';
import { resolveSqliteLimits } from './execute/protocol.js';
import { sqlVerifierProvenance } from './provenance.js';
import {
  chooseVerifyExecutor,
  defaultVerifyThreads,
  VerifyThreadPool,
} from './verify-threads/verify-threaded.js';

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
 * lines become `invalid-input` rejections. The same as `verifyTaskFile({ task: sqlTask, taskOptions:
 * { db } })`, with a pool of threads started earlier.
 */
export async function verifySqlFile(options: VerifyFileOptions): Promise<VerifySummary> {
  const { db, input, output, onRecord, onProgress, threads, ...rest } = options;
  let verifyOptions: VerifyOptions;
  try {
    verifyOptions = parseVerifyOptions(threads ? { ...rest, executor: 'threads' } : rest);
  } catch (error) {
    await threads?.close();
    throw error;
  }
  return verifySql(db, {
    input,
    output,
    options: verifyOptions,
    ...(onRecord ? { onRecord } : {}),
    ...(onProgress ? { onProgress } : {}),
    threads,
  });
}

/**
 * The SQL task's `verifyFile` (see `TaskExtras.verifyFile`): `taskOptions.db` names the databases
 * (`--db`). When the caller leaves its thread to the verifier (the CLI), that thread verifies too.
 */
export async function verifySqlRequest(request: TaskVerifyFileRequest): Promise<VerifySummary> {
  const db = (request.taskOptions as { db?: unknown } | undefined)?.db;
  if (typeof db !== 'string') {
    throw new ConfigError('--db', [
      {
        path: '',
        message: 'the sql task needs --db PATH: a SQLite file, or a folder of <db_id>.sqlite files',
      },
    ]);
  }
  const { options } = request;
  // Threads start first: each loads its modules while this thread opens the databases and the input.
  const threads =
    request.ownsThread && chooseVerifyExecutor(options.executor, request.onRecord !== undefined) === 'threads'
      ? VerifyThreadPool.start(options.workers ?? defaultVerifyThreads(), { mainThread: true })
      : undefined;
  return verifySql(db, {
    ...request,
    options: threads ? { ...options, executor: 'threads' } : options,
    threads,
  });
}

async function verifySql(
  db: string,
  request: Omit<TaskVerifyFileRequest, 'taskOptions' | 'ownsThread'> & {
    readonly threads: VerifyThreadPool | undefined;
  },
): Promise<VerifySummary> {
  const { input, output, options: verifyOptions, onRecord, onProgress, threads } = request;
  let databases: DatabaseSet;
  let kind: 'threads' | 'processes';
  try {
    kind = chooseVerifyExecutor(verifyOptions.executor, onRecord !== undefined);
    databases = DatabaseSet.open(db);
  } catch (error) {
    await threads?.close();
    throw error;
  }
  const provenance = sqlVerifierProvenance(verifyOptions);
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
    import('./execute/sqlite-executor.js'),
    import('./task.js'),
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
    task: sqlTask as never,
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

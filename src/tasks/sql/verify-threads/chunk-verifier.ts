/**
 * What a verify thread does, apart from its messages: set up a runner from the init message, then
 * verify chunks of input lines into output lines. The worker threads use it, and so does the main
 * thread when it takes chunks too.
 */
import { type JsonlLine, parseJsonlLine } from '../../../io/jsonl.js';
import {
  countCandidates,
  countRecord,
  emptyVerifySummary,
  type VerifySummary,
} from '../../../verify/summary.js';
import {
  type VerifiedRecord,
  type VerifyContext,
  verifyLine,
  verifyLineSync,
} from '../../../verify/verify-stream.js';
import type { TaskPlugin } from '../../spec.js';
import { sqlResultChecks } from '../checks/result-checks.js';
import { checkTypeTraps } from '../checks/type-trap.js';
import { DatabaseSet } from '../databases.js';
import { SqliteRunner } from '../execute/sqlite-runner.js';
import { extractSql } from '../extract.js';
import { normaliseSql } from '../normalise.js';
import { prepareSql } from '../prepare.js';
import { neighbourDatabases } from '../test-suite/neighbours.js';
import type {
  ChunkCounts,
  VerifyChunk,
  VerifyInitMessage,
  VerifyWorkerInit,
  VerifyWorkerMessage,
} from './protocol.js';
import type { SqlThread } from './sql-thread.js';
import { threadError } from './thread-errors.js';

/**
 * How a thread verifies chunks: with its own runner, in this thread; or with the statements on a SQL
 * thread, and (except with the parser's canonical form) its own runner for the chunks that come
 * before that thread is ready.
 */
export interface ChunkVerifier {
  readonly context: VerifyContext;
  readonly runner?: SqliteRunner;
  readonly sql?: SqlThread;
}

/** Open the databases and a guarded runner (and, given one, start a run on the SQL thread) for one verify run. */
export async function setUpChunkVerifier(init: VerifyWorkerInit, sql?: SqlThread): Promise<ChunkVerifier> {
  const databases = DatabaseSet.open(init.db);
  // The parser loads slowly: with it, a SQL thread runs every statement.
  const runner = sql && init.limits.parserCanonical ? undefined : new SqliteRunner(init.limits);
  await runner?.init();
  sql?.init(init.limits);
  const executor = sql ?? runner!;
  // The SQL task's verify half, imported narrowly: a thread starts faster without the parser and features.
  const task: TaskPlugin<never> = {
    id: 'sql',
    extract: extractSql,
    normalise: normaliseSql,
    prepare: prepareSql,
    createExecutor: () => executor,
    check: checkTypeTraps,
    testSuite: neighbourDatabases,
    checks: sqlResultChecks,
  };
  const context: VerifyContext = {
    task,
    executor,
    environment: (dbId) => databases.resolve(dbId),
    options: init.options,
    provenance: init.provenance,
  };
  return { context, runner, sql };
}

/** Verify one chunk of lines: its output lines, in order, and its counts. */
export function verifyChunk(chunk: VerifyChunk, verifier: ChunkVerifier): VerifyWorkerMessage {
  // Failing candidates are common and only their message is kept: skip capturing stack traces.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return verifyLines(chunk, verifier);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function verifyLines(chunk: VerifyChunk, verifier: ChunkVerifier): VerifyWorkerMessage {
  const { context, runner } = verifier as Required<ChunkVerifier>;
  const run = runner.run.bind(runner);
  const counts = emptyCounts();
  const executedBefore = runner.stats.executed;
  let output = '';
  forEachLine(chunk, (line) => {
    countCandidates(counts, line.value);
    const record = verifyLineSync(line, context, run);
    countRecord(counts, record);
    output += `${JSON.stringify(record)}\n`;
  });
  counts.executed = runner.stats.executed - executedBefore;
  return { type: 'done', seq: chunk.seq, output, counts };
}

/**
 * Verify one chunk with the SQL on the SQL thread: every line is planned first (its statements
 * queued in the order {@link verifyChunk} would run them), the statements go as one batch, and the
 * votes are taken when the results come back; meanwhile this thread plans the next chunk.
 */
export async function verifyChunkRemote(
  context: VerifyContext,
  sql: SqlThread,
  chunk: VerifyChunk,
): Promise<VerifyWorkerMessage> {
  const counts = emptyCounts();
  const pending: Promise<VerifiedRecord>[] = [];
  forEachLine(chunk, (line) => {
    countCandidates(counts, line.value);
    pending.push(verifyLine(line, context));
  });
  const executed = sql.flush();
  let output = '';
  for (const record of await Promise.all(pending)) {
    countRecord(counts, record);
    output += `${JSON.stringify(record)}\n`;
  }
  counts.executed = await executed;
  return { type: 'done', seq: chunk.seq, output, counts };
}

function emptyCounts(): ChunkCounts {
  const { durationMs: _unused, ...counts }: VerifySummary = emptyVerifySummary();
  return counts;
}

/** The chunk's lines, parsed and numbered (blank lines skipped). */
function forEachLine(chunk: VerifyChunk, each: (line: JsonlLine) => void): void {
  let number = chunk.firstLine - 1;
  for (const text of chunk.text.split('\n')) {
    // readJsonl's reader drops the CR of a CRLF line ending; so does this.
    const line = parseJsonlLine(text.endsWith('\r') ? text.slice(0, -1) : text, ++number);
    if (line) each(line);
  }
}

/** A whole-run failure as a message (errors do not cross threads with their class). */
export function fatalMessage(error: unknown): VerifyWorkerMessage {
  return { type: 'fatal', error: threadError(error) };
}

/** A verify thread's side of the messages: what the worker threads and the main thread run. */
export interface ChunkHandler {
  /**
   * An init message sets up a verifier (closing the last run's connections once its chunks are
   * done); each chunk is verified once the set-up is ready, in the order the messages came.
   */
  handle(message: VerifyInitMessage | VerifyChunk): void;
  /** Close the current run's connections. */
  close(): Promise<void>;
}

/** Handle a verify thread's messages, answering each through `post`; with `sql`, statements run there. */
export function chunkHandler(post: (message: VerifyWorkerMessage) => void, sql?: SqlThread): ChunkHandler {
  const fatal = (error: unknown) => post(fatalMessage(error));
  let verifier: Promise<ChunkVerifier> | undefined;
  const closeWhenDone = (done: Promise<ChunkVerifier> | undefined) =>
    done?.then(
      (ready) => ready.runner?.closeSync(),
      () => undefined,
    );
  return {
    handle(message) {
      if (message.type === 'init') {
        const previous = verifier;
        verifier = setUpChunkVerifier(message.init, sql);
        verifier.catch(fatal);
        void closeWhenDone(previous);
        return;
      }
      verifier?.then((ready) => {
        // While the SQL thread starts, this thread runs the statements itself.
        if (ready.sql && (ready.sql.ready || !ready.runner)) {
          verifyChunkRemote(ready.context, ready.sql, message).then(post, fatal);
          return;
        }
        try {
          post(verifyChunk(message, ready));
        } catch (error) {
          fatal(error);
        }
      }, fatal);
    },
    async close() {
      await closeWhenDone(verifier);
    },
  };
}

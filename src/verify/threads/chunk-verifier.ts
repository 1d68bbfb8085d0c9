/**
 * What a verify thread does, apart from its messages: set up a runner from the init message, then
 * verify chunks of input lines into output lines. The worker threads use it, and so does the main
 * thread when it takes chunks too.
 */
import { parseJsonlLine } from '../../io/jsonl.js';
import { SqliteRunner } from '../../sandbox/sqlite/sqlite-runner.js';
import type { Task } from '../../tasks/spec.js';
import { DatabaseSet } from '../../tasks/sql/databases.js';
import { extractSql } from '../../tasks/sql/extract.js';
import { normaliseSql } from '../../tasks/sql/normalise.js';
import { prepareSql } from '../../tasks/sql/prepare.js';
import { countCandidates, countRecord, emptyVerifySummary, type VerifySummary } from '../summary.js';
import { type RunProgram, type VerifyContext, verifyLineSync } from '../verify-stream.js';
import type { VerifyChunk, VerifyInitMessage, VerifyWorkerInit, VerifyWorkerMessage } from './protocol.js';

export interface ChunkVerifier {
  readonly runner: SqliteRunner;
  readonly context: VerifyContext;
  readonly run: RunProgram;
}

/** Open the databases and a guarded runner for one verify run. */
export async function setUpChunkVerifier(init: VerifyWorkerInit): Promise<ChunkVerifier> {
  const databases = DatabaseSet.open(init.db);
  const runner = new SqliteRunner(init.limits);
  await runner.init();
  // The SQL task's verify half, imported narrowly: a thread starts faster without the parser and features.
  const task: Task<never> = {
    id: 'sql',
    extract: extractSql,
    normalise: normaliseSql,
    prepare: prepareSql,
    createExecutor: () => runner,
  };
  const context: VerifyContext = {
    task,
    executor: runner,
    environment: (dbId) => databases.resolve(dbId),
    options: init.options,
    provenance: init.provenance,
  };
  return {
    runner,
    context,
    run: (program, environment, normalised) => runner.run(program, environment, normalised),
  };
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

function verifyLines(chunk: VerifyChunk, { runner, context, run }: ChunkVerifier): VerifyWorkerMessage {
  const { durationMs: _unused, ...counts }: VerifySummary = emptyVerifySummary();
  const executedBefore = runner.stats.executed;
  let output = '';
  let number = chunk.firstLine - 1;
  for (const text of chunk.text.split('\n')) {
    // readJsonl's reader drops the CR of a CRLF line ending; so does this.
    const line = parseJsonlLine(text.endsWith('\r') ? text.slice(0, -1) : text, ++number);
    if (!line) continue;
    countCandidates(counts, line.value);
    const record = verifyLineSync(line, context, run);
    countRecord(counts, record);
    output += `${JSON.stringify(record)}\n`;
  }
  counts.executed = runner.stats.executed - executedBefore;
  return { type: 'done', seq: chunk.seq, output, counts };
}

/** A whole-run failure as a message (errors do not cross threads with their class). */
export function fatalMessage(error: unknown): VerifyWorkerMessage {
  const { name, message, path } = error as { name?: string; message?: string; path?: string };
  return {
    type: 'fatal',
    error: { name: name ?? 'Error', message: message ?? String(error), ...(path ? { path } : {}) },
  };
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

/** Handle a verify thread's messages, answering each through `post`. */
export function chunkHandler(post: (message: VerifyWorkerMessage) => void): ChunkHandler {
  const fatal = (error: unknown) => post(fatalMessage(error));
  let verifier: Promise<ChunkVerifier> | undefined;
  const closeWhenDone = (done: Promise<ChunkVerifier> | undefined) =>
    done?.then(
      (ready) => ready.runner.closeSync(),
      () => undefined,
    );
  return {
    handle(message) {
      if (message.type === 'init') {
        const previous = verifier;
        verifier = setUpChunkVerifier(message.init);
        verifier.catch(fatal);
        void closeWhenDone(previous);
        return;
      }
      verifier?.then((ready) => {
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

/**
 * A verify worker thread: it takes chunks of input lines and verifies each example where it is,
 * running the SQL on its own guarded connections (no round trip per statement), and answers with
 * the output lines and their counts. It loads its modules as soon as it starts; what to verify with
 * comes in the first message, so a caller can start threads before it has parsed its options.
 */
import { parentPort } from 'node:worker_threads';
import { parseJsonlLine } from '../../io/jsonl.js';
import { SqliteRunner } from '../../sandbox/sqlite/sqlite-runner.js';
import type { Task } from '../../tasks/spec.js';
import { DatabaseSet } from '../../tasks/sql/databases.js';
import { extractSql } from '../../tasks/sql/extract.js';
import { normaliseSql } from '../../tasks/sql/normalise.js';
import { prepareSql } from '../../tasks/sql/prepare.js';
import { countCandidates, countRecord, emptyVerifySummary, type VerifySummary } from '../summary.js';
import { type RunProgram, type VerifyContext, verifyLineSync } from '../verify-stream.js';
import type { VerifyChunk, VerifyInitMessage, VerifyWorkerMessage } from './protocol.js';

// Failing candidates are common and only their message is kept: skip capturing stack traces.
Error.stackTraceLimit = 0;

const port = parentPort!;
const post = (message: VerifyWorkerMessage) => port.postMessage(message);

interface Verifier {
  readonly runner: SqliteRunner;
  readonly context: VerifyContext;
  readonly run: RunProgram;
}

async function setUp({ init }: VerifyInitMessage): Promise<Verifier> {
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

function verifyChunk(chunk: VerifyChunk, { runner, context, run }: Verifier): VerifyWorkerMessage {
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

function fatal(error: unknown): void {
  const { name, message, path } = error as { name?: string; message?: string; path?: string };
  post({
    type: 'fatal',
    error: { name: name ?? 'Error', message: message ?? String(error), ...(path ? { path } : {}) },
  });
}

let verifier: Promise<Verifier> | undefined;
port.on('message', (message: VerifyInitMessage | VerifyChunk) => {
  if (message.type === 'init') {
    // A shared pool verifies file after file: the last run's connections close once its chunks are done.
    const previous = verifier;
    verifier = setUp(message);
    verifier.catch(fatal);
    previous?.then(
      (done) => done.runner.closeSync(),
      () => undefined,
    );
    return;
  }
  // Chunks wait for the set-up; messages arrive in order, so the chain keeps them in order too.
  verifier?.then((ready) => {
    try {
      post(verifyChunk(message, ready));
    } catch (error) {
      fatal(error);
    }
  }, fatal);
});

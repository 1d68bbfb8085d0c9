/**
 * The SQL thread: it runs the statements the calling thread's verify plans need, in the order they
 * come, on one `SqliteRunner` (guarded connections, statements run and hashed in C, one cache), and
 * answers each batch with its results. A result it has sent before is answered by its number, so a
 * cached result crosses threads once.
 */
import { parentPort } from 'node:worker_threads';
import type { SqlExecutionResult } from '../execute/sqlite-executor.js';
import { SqliteRunner } from '../execute/sqlite-runner.js';
import type { SqlThreadReply, SqlThreadRequest } from './sql-thread-protocol.js';
import { threadError } from './thread-errors.js';

const port = parentPort!;
// Failing candidates are common and only their message is kept: no stack traces in this thread.
Error.stackTraceLimit = 0;
let runner: Promise<SqliteRunner> | undefined;
let numbers = new Map<SqlExecutionResult, number>();

function runBatch(ready: SqliteRunner, seq: number, calls: readonly string[]): SqlThreadReply {
  const executedBefore = ready.stats.executed;
  const ids: number[] = new Array(calls.length / 3);
  const fresh: SqlExecutionResult[] = [];
  for (let index = 0; index < calls.length; index += 3) {
    const path = calls[index]!;
    const result = ready.run(calls[index + 1]!, { id: path, path }, calls[index + 2] || undefined);
    let number = numbers.get(result);
    if (number === undefined) {
      number = numbers.size;
      numbers.set(result, number);
      fresh.push(result);
    }
    ids[index / 3] = number;
  }
  return { type: 'results', seq, ids, fresh, executed: ready.stats.executed - executedBefore };
}

port.postMessage({ type: 'ready' } satisfies SqlThreadReply);
port.on('message', (message: SqlThreadRequest) => {
  if (message.type === 'init') {
    const previous = runner;
    const next = new SqliteRunner(message.limits);
    runner = next.init().then(() => next);
    numbers = new Map();
    void previous?.then((old) => old.closeSync());
    runner.catch((error: unknown) => port.postMessage({ type: 'fatal', error: threadError(error) }));
    return;
  }
  runner?.then((ready) => {
    try {
      port.postMessage(runBatch(ready, message.seq, message.calls));
    } catch (error) {
      port.postMessage({ type: 'fatal', error: threadError(error) } satisfies SqlThreadReply);
    }
  });
});

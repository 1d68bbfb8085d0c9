import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SandboxError } from '../../../errors/index.js';
import { assertReadableFile, writeTextAtomically } from '../../../io/index.js';
import { addCounts, emptyVerifySummary, type VerifySummary } from '../../../verify/summary.js';
import { guardAvailable } from '../execute/guard-extension.js';
import { MainThreadVerifier } from './main-thread-verifier.js';
import type { VerifyChunk, VerifyInitMessage, VerifyWorkerInit, VerifyWorkerMessage } from './protocol.js';
import { startWorker } from './start-worker.js';
import { reviveError } from './thread-errors.js';

/** Bytes of input lines per chunk: small enough to balance the threads, large enough that messages cost little. */
const CHUNK_BYTES = 32 * 1024;
/** Chunks handed to one worker thread ahead of its answers. */
const AHEAD = 4;

export interface ThreadedVerifyOptions {
  readonly input: string;
  readonly output: string;
  readonly init: VerifyWorkerInit;
  /** Called as chunks finish, with the running counts. */
  readonly onProgress?: (summary: VerifySummary) => void;
}

/** Threads a verify run uses by default: one per core, at most 8. */
export function defaultVerifyThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Where SQL verify runs: what was asked for, else threads when the guard extension is built and no
 * per-record callback needs the records in this thread. Throws when threads are asked for and cannot be.
 */
export function chooseVerifyExecutor(
  asked: 'threads' | 'processes' | undefined,
  wantsRecords: boolean,
): 'threads' | 'processes' {
  if (asked === 'processes') return 'processes';
  if (asked === 'threads') {
    if (!guardAvailable()) {
      throw new SandboxError(
        'executor "threads" needs the symgen_guard SQLite extension: run `npm run build` with a C compiler (gcc or cc) installed, or use executor "processes"',
      );
    }
    if (wantsRecords) throw new SandboxError('executor "threads" cannot call onRecord: use onProgress');
    return 'threads';
  }
  return guardAvailable() && !wantsRecords ? 'threads' : 'processes';
}

/**
 * What the pool hands chunks to: a worker thread, or the calling thread ({@link MainThreadVerifier}).
 * Both answer with `message` events and report a failure with an `error` event.
 */
export interface VerifyThread {
  postMessage(message: VerifyInitMessage | VerifyChunk): void;
  on(event: 'message', listener: (message: VerifyWorkerMessage) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

/**
 * `threads` verify threads: worker threads, and the calling thread among them when `mainThread`.
 * The calling thread comes last, so it takes a chunk only when no worker has fewer waiting. Two
 * threads with the calling thread are that thread and a SQL thread that runs its statements.
 */
function startThreads(threads: number, mainThread: boolean): VerifyThread[] {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new SandboxError(`Expected \`workers\` to be a whole number from 1 up, got ${threads}`);
  }
  // Two threads split the work by kind: this one extracts, votes and writes, the other runs SQL.
  // Each verifying whole chunks would compile the same code twice and run shared statements twice.
  if (mainThread && threads === 2) return [new MainThreadVerifier({ sqlThread: true })];
  const workers = Array.from({ length: mainThread ? threads - 1 : threads }, () =>
    startWorker('verify-worker'),
  );
  return mainThread ? [...workers, new MainThreadVerifier()] : workers;
}

/** Whole lines of `path` in chunks of about {@link CHUNK_BYTES}, numbered from 1. */
async function* readChunks(path: string): AsyncGenerator<Omit<VerifyChunk, 'type' | 'seq'>> {
  let carry = '';
  let nextLine = 1;
  for await (const piece of createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES })) {
    const text = carry + (piece as string);
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      carry = text;
      continue;
    }
    const whole = text.slice(0, end + 1);
    carry = text.slice(end + 1);
    yield { firstLine: nextLine, text: whole };
    nextLine += countNewlines(whole);
  }
  if (carry.length > 0) yield { firstLine: nextLine, text: carry };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Worker threads that verify JSONL files of SQL candidates. Start them early (`start`): each loads
 * its modules while the caller is still parsing options and checking databases; `verifyFile` then
 * sends them what to verify with and the input. The main thread reads chunks of lines, hands each
 * to the thread with the most room (at most {@link AHEAD} ahead per worker) and writes the answers
 * in input order, whole or not at all; started with `mainThread`, it verifies chunks itself too.
 * Which thread verifies which chunk does not change a byte of the output (a statement that did not
 * compile is never answered for another text, so every message is the example's own). A pool from `start` verifies one file and closes; the pool from `shared` stays
 * (idle threads do not keep the process alive) so later calls find its threads loaded and warm.
 */
export class VerifyThreadPool {
  private static sharedPool: VerifyThreadPool | undefined;
  private closing = false;
  private used = false;
  private failure: unknown;
  private listeners: Array<(message: VerifyWorkerMessage, thread: number) => void> = [];
  private failed: Array<(error: unknown) => void> = [];
  /** Runs of a shared pool go one after another. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly workers: VerifyThread[],
    private readonly reusable: boolean,
  ) {
    workers.forEach((worker, thread) => {
      worker.on('message', (message: VerifyWorkerMessage) => {
        for (const listener of this.listeners) listener(message, thread);
      });
      worker.on('error', (error) => this.fail(new SandboxError(`a verify thread failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new SandboxError(`a verify thread exited early (code ${code})`));
      });
    });
  }

  /**
   * Start `threads` verify threads now, for one file. With `mainThread`, the calling thread is one
   * of them (`threads - 1` workers start): between its chunks it still reads and writes, but its
   * event loop is busy for the run, which suits a command line and not a server.
   */
  static start(threads: number, { mainThread = false }: { mainThread?: boolean } = {}): VerifyThreadPool {
    return new VerifyThreadPool(startThreads(threads, mainThread), false);
  }

  /**
   * The process's shared pool of `threads` threads (started on first use, replaced when the count
   * changes or a run failed). `verifySqlFile` uses it when it is not handed a pool.
   */
  static shared(threads: number): VerifyThreadPool {
    const current = VerifyThreadPool.sharedPool;
    if (current && !current.closing && current.failure === undefined && current.threads === threads)
      return current;
    void current?.close();
    const pool = new VerifyThreadPool(startThreads(threads, false), true);
    for (const worker of pool.workers) worker.unref();
    VerifyThreadPool.sharedPool = pool;
    return pool;
  }

  get threads(): number {
    return this.workers.length;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (VerifyThreadPool.sharedPool === this) VerifyThreadPool.sharedPool = undefined;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const notify of this.failed) notify(this.failure);
  }

  /** Verify `input` into `output`. A one-file pool closes when done; a shared one closes only after a failure. */
  async verifyFile(options: ThreadedVerifyOptions): Promise<VerifySummary> {
    if (!this.reusable) {
      try {
        if (this.used) throw new SandboxError('a pool from VerifyThreadPool.start verifies one file');
        this.used = true;
        return await this.run(options);
      } finally {
        await this.close();
      }
    }
    const turn = this.queue.then(() => this.runShared(options));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runShared(options: ThreadedVerifyOptions): Promise<VerifySummary> {
    if (this.closing || this.failure !== undefined) {
      throw new SandboxError('this verify thread pool was closed: take VerifyThreadPool.shared() again');
    }
    for (const worker of this.workers) worker.ref();
    try {
      return await this.run(options);
    } catch (error) {
      // Chunks of the failed run may still be queued in the threads: start afresh next time.
      this.failure ??= error;
      await this.close();
      throw error;
    } finally {
      this.listeners = [];
      this.failed = [];
      for (const worker of this.workers) worker.unref();
    }
  }

  private async run({ input, output, init, onProgress }: ThreadedVerifyOptions): Promise<VerifySummary> {
    assertReadableFile(input, 'input file');
    const started = performance.now();
    const summary = emptyVerifySummary();
    const results = new Map<number, Deferred<string>>();
    const resultFor = (seq: number) => {
      let result = results.get(seq);
      if (!result) {
        result = deferred<string>();
        if (this.failure) result.reject(this.failure);
        results.set(seq, result);
      }
      return result;
    };
    // Each chunk goes to the thread with the most room (workers first on a tie), so a thread held up
    // by one slow statement does not hold up more than its few queued chunks. The calling thread
    // takes one at a time: it answers the workers only between its chunks, so they keep more queued.
    const room = this.workers.map((thread) =>
      thread instanceof MainThreadVerifier && !thread.batchesSql ? 1 : AHEAD,
    );
    let roomWaiter: Deferred<void> | undefined;
    const mostRoom = (): number => {
      let best = 0;
      for (let thread = 1; thread < room.length; thread++) if (room[thread]! > room[best]!) best = thread;
      return best;
    };
    const waitForRoom = async (): Promise<number> => {
      for (;;) {
        if (this.failure) throw this.failure;
        const thread = mostRoom();
        if (room[thread]! > 0) return thread;
        roomWaiter = deferred<void>();
        await roomWaiter.promise;
      }
    };
    this.failed.push((failure) => {
      for (const result of results.values()) result.reject(failure);
      roomWaiter?.reject(failure);
    });
    this.listeners.push((message, thread) => {
      if (message.type === 'done') {
        addCounts(summary, message.counts);
        resultFor(message.seq).resolve(message.output);
        onProgress?.(summary);
        room[thread]!++;
        roomWaiter?.resolve();
        roomWaiter = undefined;
      } else if (message.type === 'fatal') {
        this.fail(reviveError(message.error));
      }
    });
    if (this.failure) throw this.failure;
    for (const worker of this.workers) worker.postMessage({ type: 'init', init } satisfies VerifyInitMessage);
    // The producer hands chunks out as threads have room; \`chunks\` is known once the input ends.
    let chunks = Number.POSITIVE_INFINITY;
    const inputEnded = (async () => {
      let seq = 0;
      for await (const chunk of readChunks(input)) {
        const thread = await waitForRoom();
        room[thread]!--;
        resultFor(seq);
        this.workers[thread]!.postMessage({ type: 'chunk', seq, ...chunk } satisfies VerifyChunk);
        seq++;
      }
      chunks = seq;
    })();
    inputEnded.catch((error: unknown) => this.fail(error));
    async function* ordered(): AsyncGenerator<string> {
      for (let seq = 0; seq < chunks; seq++) {
        await Promise.race([resultFor(seq).promise, inputEnded]);
        if (seq >= chunks) break;
        const text = await resultFor(seq).promise;
        results.delete(seq);
        if (text.length > 0) yield text;
      }
    }
    await writeTextAtomically(output, ordered());
    if (this.failure) throw this.failure;
    summary.durationMs = performance.now() - started;
    return summary;
  }
}

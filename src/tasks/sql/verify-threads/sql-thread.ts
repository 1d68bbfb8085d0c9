import type { Worker } from 'node:worker_threads';
import { SandboxError } from '../../../errors/index.js';
import type { ExecuteOptions, ExecutionEnvironment, Executor } from '../../spec.js';
import type { SqliteLimits } from '../execute/protocol.js';
import type { SqlExecutionResult } from '../execute/sqlite-executor.js';
import type { SqlThreadReply, SqlThreadRequest } from './sql-thread-protocol.js';
import { startWorker } from './start-worker.js';
import { reviveError } from './thread-errors.js';

interface Batch {
  readonly calls: string[];
  readonly waiters: Array<{ resolve(result: SqlExecutionResult): void; reject(error: unknown): void }>;
  done?: { resolve(executed: number): void; reject(error: unknown): void };
}

/**
 * A second thread that runs SQL for this one (`sql-worker.ts`): an `Executor` whose `execute` calls
 * made in one turn go to the thread as one batch, run there in call order on one runner (so results,
 * cache and counts are those of running them here, in that order), and come back together. With two
 * cores, the calling thread extracts, votes and writes while this one executes: no code is compiled
 * twice, no statement run twice.
 */
export class SqlThread implements Executor {
  private readonly worker: Worker;
  private open: Batch | undefined;
  private readonly sent = new Map<number, Batch>();
  private results: SqlExecutionResult[] = [];
  private nextSeq = 0;
  private failure: Error | undefined;
  private closing = false;
  private loaded = false;

  /** Start the thread now: it loads its modules while the caller goes on. */
  constructor() {
    this.worker = startWorker('sql-worker');
    this.worker.on('message', (reply: SqlThreadReply) => this.receive(reply));
    this.worker.on('error', (error) =>
      this.fail(new SandboxError(`the SQL thread failed: ${error.message}`)),
    );
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new SandboxError(`the SQL thread exited early (code ${code})`));
    });
  }

  /** True once the thread has loaded its modules: batches sent now start at once. */
  get ready(): boolean {
    return this.loaded;
  }

  /** Start a run with these limits: a fresh runner and cache in the thread. */
  init(limits: SqliteLimits): void {
    this.results = [];
    this.post({ type: 'init', limits });
  }

  execute(
    program: string,
    environment: ExecutionEnvironment,
    options: ExecuteOptions = {},
  ): Promise<SqlExecutionResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (!environment.path) {
      return Promise.reject(new SandboxError(`no database file for environment ${environment.id}`));
    }
    let batch = this.open;
    if (!batch) {
      batch = { calls: [], waiters: [] };
      this.open = batch;
      // Calls made in this turn go together, unless `flush` sends them sooner.
      queueMicrotask(() => void this.flush());
    }
    batch.calls.push(environment.path, program, options.normalised ?? '');
    const waiters = batch.waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  /** Send the calls made so far; resolves with how many statements the thread executed for them. */
  flush(): Promise<number> {
    const batch = this.open;
    if (!batch) return Promise.resolve(0);
    this.open = undefined;
    const done = new Promise<number>((resolve, reject) => {
      batch.done = { resolve, reject };
    });
    done.catch(() => undefined);
    if (this.failure) {
      this.settle(batch, this.failure);
      return done;
    }
    const seq = this.nextSeq++;
    this.sent.set(seq, batch);
    this.post({ type: 'batch', seq, calls: batch.calls });
    return done;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private post(request: SqlThreadRequest): void {
    this.worker.postMessage(request);
  }

  private receive(reply: SqlThreadReply): void {
    if (reply.type === 'ready') {
      this.loaded = true;
      return;
    }
    if (reply.type === 'fatal') {
      this.fail(reviveError(reply.error));
      return;
    }
    const batch = this.sent.get(reply.seq);
    if (!batch) return;
    this.sent.delete(reply.seq);
    for (const result of reply.fresh) this.results.push(result);
    const { ids } = reply;
    for (let index = 0; index < ids.length; index++)
      batch.waiters[index]!.resolve(this.results[ids[index]!]!);
    batch.done?.resolve(reply.executed);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const batch of this.sent.values()) this.settle(batch, this.failure);
    this.sent.clear();
    if (this.open) this.settle(this.open, this.failure);
    this.open = undefined;
  }

  private settle(batch: Batch, error: Error): void {
    for (const waiter of batch.waiters) waiter.reject(error);
    batch.done?.reject(error);
  }
}

import type { SandboxResult, WorkerRequest } from './protocol.js';
import { emptyResult } from './protocol.js';
import { SandboxWorker, type WorkerLaunch } from './sandbox-worker.js';

/** Runs requests on sandboxed workers; `run` resolves with a result for every request it accepts. */
export interface WorkerPool {
  /**
   * Run one request. Resolves with its result (hostile candidates included); rejects only with a
   * SandboxError when no sandbox can be started at all.
   */
  run(request: Omit<WorkerRequest, 'id'>, signal?: AbortSignal): Promise<SandboxResult>;
  /** Kill every worker; later calls to `run` resolve as `refused`. Safe to call twice. */
  close(): Promise<void>;
}

/** How a pool keeps its workers. */
export interface WorkerPoolOptions {
  /** `warm`: long-lived workers, one fork per candidate. `process`: a new sandbox per candidate. */
  readonly mode: 'warm' | 'process';
  /** Candidates running at once. */
  readonly size: number;
  readonly launch: WorkerLaunch;
}

/**
 * Create a pool of sandboxed workers, started lazily. A worker that dies (a candidate killed it, or
 * overran its time) is dropped and a fresh one starts for the next request.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const idle: SandboxWorker[] = [];
  const all = new Set<SandboxWorker>();
  const waiting: Array<() => void> = [];
  let running = 0;
  let nextId = 1;
  let closed = false;
  const closing = new Set<Promise<void>>();

  function retire(worker: SandboxWorker): void {
    all.delete(worker);
    const exit = worker.close();
    closing.add(exit);
    void exit.then(() => closing.delete(exit));
  }

  async function acquire(): Promise<SandboxWorker> {
    for (let worker = idle.pop(); worker; worker = idle.pop()) {
      if (worker.alive) return worker;
      retire(worker);
    }
    const worker = await SandboxWorker.start({ ...options.launch, once: options.mode === 'process' });
    all.add(worker);
    return worker;
  }

  function release(worker: SandboxWorker): void {
    if (options.mode === 'warm' && worker.alive && !closed) idle.push(worker);
    else retire(worker);
    running -= 1;
    waiting.shift()?.();
  }

  return {
    async run(request, signal) {
      if (closed) return emptyResult('refused', 'sandbox pool is closed');
      while (running >= options.size && !closed) await new Promise<void>((resolve) => waiting.push(resolve));
      if (closed) return emptyResult('refused', 'sandbox pool is closed');
      if (signal?.aborted) {
        waiting.shift()?.();
        return emptyResult('refused', 'aborted before it ran');
      }
      running += 1;
      let worker: SandboxWorker | undefined;
      try {
        worker = await acquire();
        const active = worker;
        const onAbort = () => void active.close();
        signal?.addEventListener('abort', onAbort, { once: true });
        const result = await active.run({ ...request, id: nextId++ });
        signal?.removeEventListener('abort', onAbort);
        return signal?.aborted ? emptyResult('refused', 'aborted while it ran', result.durationMs) : result;
      } finally {
        if (worker) release(worker);
        else {
          running -= 1;
          waiting.shift()?.();
        }
      }
    },
    async close() {
      closed = true;
      const exits = [...all].map((worker) => worker.close());
      all.clear();
      idle.length = 0;
      for (const wake of waiting.splice(0)) wake();
      await Promise.all([...exits, ...closing]);
    },
  };
}

import { integerFlag } from './flags.js';

/** Run `symgen worker` until SIGINT or SIGTERM; jobs in hand are finished first. Returns the exit code. */
export async function runWorkerCommand(flags: Record<string, string | boolean | undefined>): Promise<number> {
  const { runWorker } = await import('../../distributed/worker.js');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runWorker({
      queue: String(flags.queue),
      concurrency: integerFlag('--concurrency', flags.concurrency),
      llmConcurrency: integerFlag('--llm-concurrency', flags.llmConcurrency),
      lockMs: integerFlag('--lock-ms', flags.lockMs),
      paths: {
        ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
        ...(typeof flags.fixture === 'string' ? { fixture: flags.fixture } : {}),
        ...(typeof flags.taskModule === 'string' ? { taskModule: flags.taskModule } : {}),
      },
      ...(flags.workers === undefined ? {} : { taskWorkers: integerFlag('--workers', flags.workers) }),
      signal: controller.signal,
    });
    return 0;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { loadBuiltinTask } from '../tasks/registry/load-builtin-task.js';
import { loadTaskModule } from '../tasks/registry/load-task-module.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { emptyVerifySummary } from '../verify/summary.js';
import { verifyTaskFile } from '../verify/verify-task-file.js';
import { parseQueueUrl } from './connection.js';
import { fingerprint } from './fingerprint.js';
import { LLM_QUEUE, type TaskRef, type VerifyChunkJob, type VerifyChunkResult, WORK_QUEUE } from './jobs.js';
import { handleLlmCall, LLM_JOB } from './llm-jobs.js';

export interface WorkerOptions {
  /** `redis://HOST:PORT` of the queue. */
  readonly queue: string;
  /** Jobs this worker runs at once, per queue. @default 1 for verification, 8 for model calls */
  readonly concurrency?: number;
  readonly llmConcurrency?: number;
  /** This machine's copies of the files the coordinator names (`db`, `fixture`, a task module). */
  readonly paths?: { readonly db?: string; readonly fixture?: string; readonly taskModule?: string };
  /** Verify threads or executor processes per job (the task's `workers` option). */
  readonly taskWorkers?: number;
  /**
   * How long a job's lock lasts without renewal: a worker that dies mid-job has its job run again
   * by another worker after about this long (BullMQ's stalled-job check). @default 30000
   */
  readonly lockMs?: number;
  readonly onMessage?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * `symgen worker`: takes jobs from the queues until stopped: chunks of candidate files to verify, and
 * model calls. Refuses a job whose database, fixture or task module differs from the coordinator's
 * (by SHA-256), naming both hashes, without retrying it.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const connection = parseQueueUrl(options.queue);
  const onMessage = options.onMessage ?? ((line: string) => process.stderr.write(`symgen worker: ${line}\n`));
  const tasks = new Map<string, Promise<TaskPlugin<never>>>();
  const lockDuration = options.lockMs ?? 30_000;
  const common = {
    connection,
    lockDuration,
    stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
    maxStalledCount: 5,
  };
  const work = new Worker<VerifyChunkJob, VerifyChunkResult>(
    WORK_QUEUE,
    (job) => verifyChunk(job, options, tasks),
    { ...common, concurrency: options.concurrency ?? 1 },
  );
  const llm = new Worker(
    LLM_QUEUE,
    (job) => (job.name === LLM_JOB ? handleLlmCall(job.data) : unknownJob(job)),
    {
      ...common,
      concurrency: options.llmConcurrency ?? 8,
    },
  );
  for (const worker of [work, llm]) {
    worker.on('failed', (job, error) => {
      if (error instanceof UnrecoverableError || job?.attemptsMade === job?.opts.attempts)
        onMessage(`job ${job?.id} failed: ${error.message}`);
    });
    worker.on('error', (error) => onMessage(`queue error: ${error.message}`));
  }
  await Promise.all([work.waitUntilReady(), llm.waitUntilReady()]);
  onMessage(
    `ready on ${options.queue} (verify ${options.concurrency ?? 1} at a time, model calls ${options.llmConcurrency ?? 8})`,
  );
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  // finish the jobs in hand, take no new ones
  await Promise.all([work.close(), llm.close()]);
}

function unknownJob(job: Job): never {
  throw new UnrecoverableError(
    `unknown job kind ${JSON.stringify(job.name)}: is this worker older than the coordinator?`,
  );
}

async function verifyChunk(
  job: Job<VerifyChunkJob>,
  options: WorkerOptions,
  tasks: Map<string, Promise<TaskPlugin<never>>>,
): Promise<VerifyChunkResult> {
  const data = job.data;
  const taskOptions: Record<string, unknown> = { ...data.taskOptions };
  for (const [name, expected] of Object.entries(data.files)) {
    const local = options.paths?.[name as 'db' | 'fixture'] ?? String(data.taskOptions[name]);
    const actual = await fingerprint(local).catch(() => undefined);
    if (actual !== expected) {
      throw new UnrecoverableError(
        `--${name} ${local} on this worker ${actual === undefined ? 'is missing' : `has SHA-256 ${actual.slice(0, 16)}`}, the coordinator's has ${expected.slice(0, 16)}: copy the coordinator's file here, or start the worker with --${name} PATH of a copy`,
      );
    }
    taskOptions[name] = local;
  }
  // a job's verification runs on this thread unless --workers asks for more: parallelism comes from
  // the number of workers and their --concurrency
  taskOptions.workers = options.taskWorkers ?? 1;
  const task = await taskOf(data.task, options, tasks);
  const folder = mkdtempSync(join(tmpdir(), 'symgen-worker-'));
  try {
    const input = join(folder, 'in.jsonl');
    const output = join(folder, 'out.jsonl');
    // blank lines before the chunk keep the input's line numbers in messages; readers skip them
    writeFileSync(input, '\n'.repeat(data.firstLine - 1) + data.text);
    const summary = await verifyTaskFile({
      task,
      taskOptions: taskOptions as never,
      input,
      output,
      ...data.verify,
    });
    const { durationMs: _, ...counts } = summary;
    return { text: readFileSync(output, 'utf8'), summary: { ...emptyVerifySummary(), ...counts } };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function taskOf(
  ref: TaskRef,
  options: WorkerOptions,
  tasks: Map<string, Promise<TaskPlugin<never>>>,
): Promise<TaskPlugin<never>> {
  if (!ref.module) {
    let loading = tasks.get(ref.id);
    if (!loading) {
      loading = loadBuiltinTask(ref.id);
      tasks.set(ref.id, loading);
    }
    return loading;
  }
  const path = options.paths?.taskModule ?? ref.module.path;
  const actual = await fingerprint(path).catch(() => undefined);
  if (actual !== ref.module.sha256) {
    throw new UnrecoverableError(
      `task module ${path} on this worker ${actual === undefined ? 'is missing' : `has SHA-256 ${actual.slice(0, 16)}`}, the coordinator's has ${ref.module.sha256.slice(0, 16)}: copy the coordinator's module here, or start the worker with --task-module PATH of a copy`,
    );
  }
  const key = `${path}\0${actual}`;
  let loading = tasks.get(key);
  if (!loading) {
    loading = loadTaskModule(path);
    tasks.set(key, loading);
  }
  const task = await loading;
  if (task.id !== ref.id) {
    throw new UnrecoverableError(
      `task module ${path} defines task ${JSON.stringify(task.id)}, the coordinator runs ${JSON.stringify(ref.id)}`,
    );
  }
  return task;
}

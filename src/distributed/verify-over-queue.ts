import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, QueueEvents } from 'bullmq';
import { ConfigError, InputError } from '../errors/index.js';
import { writeTextAtomically } from '../io/index.js';
import { parseVerifyOptions, type VerifyOptionsInput } from '../verify/options.js';
import { addCounts, emptyVerifySummary, type VerifySummary } from '../verify/summary.js';
import { parseQueueUrl } from './connection.js';
import { fingerprint } from './fingerprint.js';
import {
  jobId,
  KEEP_FINISHED,
  type TaskRef,
  type VerifyChunkJob,
  type VerifyChunkResult,
  WORK_QUEUE,
} from './jobs.js';

/** Task options that name files or folders: their content is fingerprinted for the workers. */
export const PATH_OPTIONS = ['db', 'fixture'] as const;

export interface VerifyOverQueueOptions {
  /** `redis://HOST:PORT` of the queue. */
  readonly queue: string;
  readonly task: { readonly id: string; readonly modulePath?: string };
  readonly taskOptions: Readonly<Record<string, unknown>>;
  readonly verify: VerifyOptionsInput;
  readonly input: string;
  readonly output: string;
  /** Lines per job. @default 500 */
  readonly chunkLines?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * `symgen verify --queue`: the coordinator. Splits the input into chunks of whole lines, enqueues one
 * job per chunk (ids from the chunk's content and the settings, so a restarted coordinator finds the
 * jobs it queued, done or not), waits for workers to verify them, and writes their answers in input
 * order, whole or not at all. The bytes equal a local `symgen verify` of the same input.
 */
export async function verifyOverQueue(options: VerifyOverQueueOptions): Promise<VerifySummary> {
  parseVerifyOptions(options.verify);
  const started = performance.now();
  const connection = parseQueueUrl(options.queue);
  const task: TaskRef = options.task.modulePath
    ? {
        id: options.task.id,
        module: {
          path: resolve(options.task.modulePath),
          sha256: await fingerprint(options.task.modulePath),
        },
      }
    : { id: options.task.id };
  const taskOptions: Record<string, unknown> = { ...options.taskOptions };
  const files: Record<string, string> = {};
  for (const name of PATH_OPTIONS) {
    const value = taskOptions[name];
    if (typeof value !== 'string') continue;
    taskOptions[name] = resolve(value);
    files[name] = await fingerprint(value).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`--${name} ${value}: ${error.code === 'ENOENT' ? 'not found' : error.message}`, {
        file: value,
      });
    });
  }
  const chunks = await readChunks(options.input, options.chunkLines ?? 500);
  const queue = new Queue(WORK_QUEUE, { connection });
  const events = new QueueEvents(WORK_QUEUE, { connection });
  events.setMaxListeners(0);
  queue.setMaxListeners(0);
  const closeAll = () => Promise.allSettled([queue.close(), events.close()]);
  try {
    await Promise.race([
      Promise.all([queue.waitUntilReady(), events.waitUntilReady()]),
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new ConfigError('--queue', [
                {
                  path: '',
                  message: `no Redis answers at ${options.queue} (start redis-server, or check the URL)`,
                },
              ]),
            ),
          10_000,
        ).unref(),
      ),
    ]);
    const jobs = await queue.addBulk(
      chunks.map((chunk) => {
        const data: VerifyChunkJob = {
          kind: 'verify-chunk',
          task,
          taskOptions,
          files,
          verify: options.verify,
          firstLine: chunk.firstLine,
          text: chunk.text,
        };
        return {
          name: data.kind,
          data,
          opts: {
            jobId: jobId(
              'verify',
              task,
              files,
              options.verify,
              taskOptionsKey(taskOptions),
              chunk.firstLine,
              chunk.text,
            ),
            attempts: 3,
            backoff: { type: 'fixed', delay: 1000 },
            ...KEEP_FINISHED,
          },
        };
      }),
    );
    let done = 0;
    options.onProgress?.(0, chunks.length);
    const results = await Promise.all(
      jobs.map(async (job, index) => {
        try {
          const result = (await job.waitUntilFinished(events)) as VerifyChunkResult;
          options.onProgress?.(++done, chunks.length);
          return result;
        } catch (error) {
          throw new InputError(
            `a worker could not verify lines ${chunks[index]!.firstLine}-${chunks[index]!.firstLine + chunks[index]!.lines - 1} of ${options.input}: ${(error as Error).message}`,
            { file: options.input },
          );
        }
      }),
    );
    const summary = emptyVerifySummary();
    for (const result of results) addCounts(summary, result.summary);
    await writeTextAtomically(
      options.output,
      (async function* () {
        for (const result of results) yield result.text;
      })(),
    );
    summary.durationMs = performance.now() - started;
    return summary;
  } finally {
    await closeAll();
  }
}

/** The task options that decide the answer, without machine-specific paths (their hashes stand in). */
function taskOptionsKey(taskOptions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(taskOptions).filter(
      ([name]) => !(PATH_OPTIONS as readonly string[]).includes(name) && name !== 'workers',
    ),
  );
}

interface Chunk {
  readonly firstLine: number;
  readonly lines: number;
  readonly text: string;
}

async function readChunks(path: string, size: number): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  let lines: string[] = [];
  let firstLine = 1;
  let number = 0;
  const flush = () => {
    if (lines.length > 0) chunks.push({ firstLine, lines: lines.length, text: `${lines.join('\n')}\n` });
    lines = [];
  };
  try {
    const reader = createInterface({
      input: createReadStream(path, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of reader) {
      number++;
      if (lines.length === 0) firstLine = number;
      lines.push(line);
      if (lines.length >= size) flush();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`--in ${path}: ${code === 'ENOENT' ? 'not found' : (error as Error).message}`, {
      file: path,
    });
  }
  flush();
  return chunks;
}

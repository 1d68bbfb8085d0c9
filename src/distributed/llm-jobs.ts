import { Queue, QueueEvents, UnrecoverableError } from 'bullmq';
import { type LlmConfig, llmConfigSchema } from '../llm/config.js';
import { createLlm, createProvider, type Llm } from '../llm/create-llm.js';
import type { LlmProvider, LlmRequest, LlmResult } from '../llm/spec.js';
import { parseQueueUrl } from './connection.js';
import { jobId, KEEP_FINISHED, LLM_QUEUE } from './jobs.js';

/** The name of a model-call job. */
export const LLM_JOB = 'llm-call';

/** One model call: the provider and scheduler settings (no keys: a worker reads its own environment) and the request. */
export interface LlmCallJob {
  readonly llm: Pick<LlmConfig, 'provider' | 'scheduler'>;
  readonly request: LlmRequest;
}

const models = new Map<string, Llm>();

/**
 * A worker's side of a model call: the provider the job names, behind this worker's own scheduler
 * (retries, backoff, its concurrency), built once per configuration. A configuration error (a key
 * missing on this worker) fails the job for good, with the message.
 */
export async function handleLlmCall(job: LlmCallJob): Promise<LlmResult> {
  const key = JSON.stringify(job.llm);
  let llm = models.get(key);
  if (!llm) {
    try {
      llm = createLlm(job.llm, { onMessage: (line) => process.stderr.write(`symgen worker: ${line}\n`) });
    } catch (error) {
      throw new UnrecoverableError(`this worker cannot build the model: ${(error as Error).message}`);
    }
    models.set(key, llm);
  }
  return llm.model.doGenerate(job.request);
}

/**
 * The queue provider for an `llm:` config section: named as the local provider would be (provider,
 * model id, endpoint), so a distributed run and a local one share response-cache keys.
 */
export async function createQueuedLlmProvider(
  queueUrl: string,
  config: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ provider: LlmProvider; close(): Promise<void> }> {
  const parsed = llmConfigSchema.parse(config);
  // built only to read its name and endpoint: the key is the workers' business, so a placeholder
  // stands in when this machine has none
  const local = createProvider(parsed.provider, {
    ...env,
    OPENAI_API_KEY: env.OPENAI_API_KEY ?? 'held-by-the-workers',
    ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY ?? 'held-by-the-workers',
  });
  return createQueuedProvider(queueUrl, parsed, {
    provider: local.provider,
    modelId: local.modelId,
    ...(local.cacheScope ? { cacheScope: local.cacheScope } : {}),
  });
}

/**
 * The coordinator's side: a provider whose calls are jobs on the model-call queue, answered by
 * workers. Ids come from the request (and the provider's settings), so a restarted coordinator finds
 * calls it queued before, answered or not, and nothing is sent twice. The queue's global rate limit
 * and concurrency (from `scheduler.requestsPerMinute` and `scheduler.maxConcurrency`) hold across
 * every worker.
 */
export async function createQueuedProvider(
  queueUrl: string,
  llm: Pick<LlmConfig, 'provider' | 'scheduler'>,
  describe: { readonly provider: string; readonly modelId: string; readonly cacheScope?: string },
): Promise<{ provider: LlmProvider; close(): Promise<void> }> {
  const connection = parseQueueUrl(queueUrl);
  const queue = new Queue(LLM_QUEUE, { connection });
  const events = new QueueEvents(LLM_QUEUE, { connection });
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  await queue.setGlobalConcurrency(llm.scheduler.maxConcurrency);
  if (llm.scheduler.requestsPerMinute !== undefined) {
    // BullMQ counts jobs: at most `max` jobs start per `duration` across all workers
    await queue.setGlobalRateLimit(Math.max(1, Math.floor(llm.scheduler.requestsPerMinute)), 60_000);
  } else {
    await queue.removeGlobalRateLimit();
  }
  const provider: LlmProvider = {
    provider: describe.provider,
    modelId: describe.modelId,
    ...(describe.cacheScope ? { cacheScope: describe.cacheScope } : {}),
    maxSamplesPerCall: Number.MAX_SAFE_INTEGER,
    async doGenerate(request, options) {
      options?.signal?.throwIfAborted();
      const data: LlmCallJob = { llm, request };
      const job = await queue.add(LLM_JOB, data, {
        jobId: jobId('llm', describe.provider, describe.modelId, describe.cacheScope ?? '', request),
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        ...KEEP_FINISHED,
      });
      return (await job.waitUntilFinished(events)) as LlmResult;
    },
  };
  return { provider, close: async () => void (await Promise.allSettled([queue.close(), events.close()])) };
}

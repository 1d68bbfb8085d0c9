/**
 * `symgen verify --queue` and `symgen worker` with a real Redis (Debian's redis-server on 127.0.0.1,
 * a free port) and workers as separate processes: kill -9 a worker mid-job and the coordinator
 * mid-run; the output equals a single-process run's, byte for byte.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { parseQueueUrl } from '../src/distributed/connection.js';
import { LLM_QUEUE, WORK_QUEUE } from '../src/distributed/jobs.js';
import { createLlmTestServer, startTestRedisServer, type TestRedisServer } from '../src/testing/index.js';
import { createGeoQueryModel } from './geoquery-model.js';
import { GEOGRAPHY_DB } from './shared-data.js';

const ROOT = join(import.meta.dirname, '..');
const CANDIDATES = join(ROOT, 'examples', 'geoquery', 'candidates.jsonl');
const folder = mkdtempSync(join(tmpdir(), 'symgen-distributed-'));
const children: ChildProcess[] = [];

function cli(args: readonly string[]): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'run-cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { child, exited };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `symgen verify` of the GeoQuery example candidates, as one local process runs it. */
const localVerifyArgs = (out: string) => [
  'verify',
  '--task',
  'sql',
  '--db',
  GEOGRAPHY_DB,
  '--in',
  CANDIDATES,
  '--out',
  out,
  '--min-votes',
  '2',
];

let redis: TestRedisServer;
let local: string;
beforeAll(async () => {
  redis = await startTestRedisServer();
  const out = join(folder, 'local.jsonl');
  expect(await main(localVerifyArgs(out))).toBe(0);
  local = readFileSync(out, 'utf8');
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await redis?.stop();
});

const verifyArgs = (out: string) => [...localVerifyArgs(out), '--queue', redis.url, '--chunk-lines', '4'];

describe('symgen verify --queue with symgen worker processes', () => {
  it('reads only redis:// URLs, with a one-line error', () => {
    expect(parseQueueUrl('redis://10.0.0.5:6380/2')).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2 });
    expect(() => parseQueueUrl('http://127.0.0.1:6379')).toThrow(/expected a redis:\/\/HOST:PORT URL/);
    expect(() => parseQueueUrl('127.0.0.1')).toThrow(/not a URL/);
  });

  it('a worker killed mid-job has its job run by another; a killed coordinator resumes; the bytes equal a local run', async () => {
    const queue = new Queue(WORK_QUEUE, { connection: parseQueueUrl(redis.url) });
    const completed = async () => (await queue.getJobCounts('completed')).completed ?? 0;
    try {
      // one worker starts alone; it is killed while it holds a job, after two finished
      const first = cli(['worker', '--queue', redis.url, '--lock-ms', '2000']);
      const out = join(folder, 'queued.jsonl');
      const coordinator = cli(verifyArgs(out));
      await until(async () => (await completed()) >= 2, 60_000, 'two chunks done by the first worker');
      const activeAtKill = (await queue.getJobCounts('active')).active ?? 0;
      first.child.kill('SIGKILL');
      // the coordinator is killed too, and started again with the same arguments
      coordinator.child.kill('SIGKILL');
      await coordinator.exited;
      const doneBefore = await completed();
      expect(doneBefore).toBeLessThan(15);
      const second = cli(['worker', '--queue', redis.url, '--lock-ms', '2000']);
      const again = await cli(verifyArgs(out)).exited;
      expect(again.stderr).not.toContain('unexpected error');
      expect(again.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(local);
      // every chunk was verified once, except one the killed worker held (run again after its lock lapsed)
      const jobs = await queue.getJobs(['completed']);
      expect(jobs).toHaveLength(15);
      const runs = jobs.reduce((sum, job) => sum + job.attemptsStarted, 0);
      expect(runs).toBeLessThanOrEqual(15 + activeAtKill);
      second.child.kill('SIGTERM');
      // a stopped command exits 2, as every symgen command does
      expect((await second.exited).code).toBe(2);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 120_000);

  it('a worker whose database differs from the coordinator’s refuses the job, naming both SHA-256s', async () => {
    const other = join(folder, 'other.sqlite');
    copyFileSync(GEOGRAPHY_DB, other);
    writeFileSync(other, Buffer.concat([readFileSync(other), Buffer.alloc(4096)]));
    const worker = cli(['worker', '--queue', redis.url, '--db', other]);
    const result = await cli(verifyArgs(join(folder, 'refused.jsonl'))).exited;
    worker.child.kill('SIGTERM');
    await worker.exited;
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /--db .*other\.sqlite on this worker has SHA-256 [0-9a-f]{16}, the coordinator's has [0-9a-f]{16}/,
    );
    const queue = new Queue(WORK_QUEUE, { connection: parseQueueUrl(redis.url) });
    await queue.obliterate({ force: true });
    await queue.close();
  }, 60_000);
});

describe('symgen generate --queue: model calls on symgen worker processes', () => {
  it('writes the same dataset as a local run, with a worker killed mid-run', async () => {
    const server = await createLlmTestServer({
      respond: (() => {
        const model = createGeoQueryModel();
        return (request) => {
          const reply = model(request);
          return reply && { ...reply, delayMs: 30 };
        };
      })(),
    });
    const config = (out: string) => {
      const path = `${out}.yaml`;
      writeFileSync(
        path,
        [
          'task: sql',
          'count: 10',
          'seed: 5',
          `knowledge: { db: ${JSON.stringify(GEOGRAPHY_DB)}, rows: 1 }`,
          'generation:',
          '  genQ: { n: 8 }',
          '  genA: { n: 6 }',
          // several prompts and questions at once: the workers' answers arrive in another order
          // than the local run's, and the prompts still settle in their own order
          '  promptsPerRound: 4',
          '  concurrency: 4',
          'verify: { minVotes: 3 }',
          `llm: { provider: { kind: openai-compatible, model: geo-model, baseURL: ${JSON.stringify(server.baseURL)} } }`,
          `output: { dir: ${JSON.stringify(out)}, formats: [] }`,
        ].join('\n'),
      );
      return path;
    };
    const llmQueue = new Queue(LLM_QUEUE, { connection: parseQueueUrl(redis.url) });
    try {
      const localOut = join(folder, 'gen-local');
      expect(await main(['generate', config(localOut)])).toBe(0);
      const sentLocally = server.requests.length;

      const first = cli(['worker', '--queue', redis.url, '--lock-ms', '2000']);
      const second = cli(['worker', '--queue', redis.url, '--lock-ms', '2000']);
      const queuedOut = join(folder, 'gen-queued');
      const run = cli(['generate', config(queuedOut), '--queue', redis.url]);
      await until(() => server.requests.length >= sentLocally + 3, 60_000, 'model calls from the workers');
      first.child.kill('SIGKILL');
      const result = await run.exited;
      expect(result.stderr).not.toContain('unexpected error');
      expect(result.code).toBe(0);
      for (const file of ['dataset.jsonl', 'rejected.jsonl']) {
        expect(readFileSync(join(queuedOut, file), 'utf8')).toBe(readFileSync(join(localOut, file), 'utf8'));
      }
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      await llmQueue.obliterate({ force: true });
      await llmQueue.close();
      await server.close();
    }
  }, 180_000);
});

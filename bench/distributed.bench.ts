// Distributed runs on BullMQ and Redis (issue 19), side by side in one run:
// 1. model calls through the queue with 1, 2 and 4 `symgen worker` processes, each capped at CAP calls
//    at once, against a loopback server with a fixed latency: throughput over linear scaling
//    (ideal = workers x CAP / latency);
// 2. a large candidate file verified by 2 workers against one local process (same bytes checked);
// 3. per-job costs: Redis commands per job (INFO commandstats) and coordinator time per job, for the
//    written model of 100 workers in bench/RESULTS.md.
// Run: npm run bench:distributed   (CALLS=400 LATENCY_MS=100 CAP=8 LINES=2000 to change the setup)
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { parseQueueUrl } from '../src/distributed/connection.js';
import { LLM_QUEUE, WORK_QUEUE } from '../src/distributed/jobs.js';
import { createQueuedProvider } from '../src/distributed/llm-jobs.js';
import { verifyOverQueue } from '../src/distributed/verify-over-queue.js';
import { loadBuiltinTask } from '../src/tasks/registry/load-builtin-task.js';
import { startTestRedisServer } from '../src/testing/index.js';
import { verifyTaskFile } from '../src/verify/verify-task-file.js';
import { makeCandidates, readGold } from './make-candidates.js';

const ROOT = join(import.meta.dirname, '..');
const calls = Number(process.env.CALLS ?? 400);
const latencyMs = Number(process.env.LATENCY_MS ?? 100);
const cap = Number(process.env.CAP ?? 8);
const lines = Number(process.env.LINES ?? 2000);
const GEO = join(ROOT, 'examples', 'geoquery', 'geography.sqlite');
const folder = mkdtempSync(join(tmpdir(), 'symgen-bench-distributed-'));

const redis = await startTestRedisServer();
const connection = parseQueueUrl(redis.url);
const children: ChildProcess[] = [];

async function startServer() {
  const child = fork(
    fileURLToPath(new URL('./llm-bench-server.ts', import.meta.url)),
    [JSON.stringify({ latencyMs })],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const { baseURL } = await new Promise<{ baseURL: string }>((resolve) =>
    child.once('message', resolve as never),
  );
  return {
    baseURL,
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.send('stop'))),
  };
}

async function startWorkers(count: number, extra: string[] = []): Promise<ChildProcess[]> {
  const started = Array.from({ length: count }, () => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'symgen.js'),
        'worker',
        '--queue',
        redis.url,
        '--llm-concurrency',
        String(cap),
        ...extra,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    return new Promise<ChildProcess>((resolve) => {
      let text = '';
      child.stderr!.on('data', (chunk) => {
        text += String(chunk);
        if (text.includes('ready on')) resolve(child);
      });
    });
  });
  return Promise.all(started);
}

async function stopWorkers(workers: ChildProcess[]) {
  await Promise.all(
    workers.map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))),
  );
}

function redisCommands(): number {
  const info = execFileSync('redis-cli', ['-p', String(redis.port), 'INFO', 'commandstats'], {
    encoding: 'utf8',
  });
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function obliterate(name: string) {
  const queue = new Queue(name, { connection });
  await queue.obliterate({ force: true });
  await queue.close();
}

const server = await startServer();
const llmConfig = {
  provider: {
    kind: 'openai-compatible' as const,
    model: 'bench',
    baseURL: server.baseURL,
    api: 'chat' as const,
  },
  scheduler: { maxConcurrency: 1000, initialConcurrency: 4, maxRetries: 5, timeoutMs: 120_000 },
};

console.log(`model calls: ${calls} calls, latency ${latencyMs} ms, ${cap} calls at once per worker`);
const scaling: {
  workers: number;
  perSecond: number;
  ratio: number;
  redisPerJob: number;
  coordinatorMsPerJob: number;
}[] = [];
let run = 0;
for (const count of [1, 2, 4]) {
  await obliterate(LLM_QUEUE);
  const workers = await startWorkers(count);
  const queued = await createQueuedProvider(redis.url, llmConfig, {
    provider: 'openai-compatible.chat',
    modelId: 'bench',
    cacheScope: server.baseURL,
  });
  run++;
  const commandsBefore = redisCommands();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: calls }, (_, index) =>
      queued.provider.doGenerate({
        messages: [{ role: 'user', content: `run ${run} call ${index}` }],
        n: 1,
        seed: index,
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const commands = redisCommands() - commandsBefore;
  await queued.close();
  await stopWorkers(workers);
  const ideal = (count * cap * 1000) / latencyMs;
  const perSecond = calls / seconds;
  scaling.push({
    workers: count,
    perSecond,
    ratio: perSecond / ideal,
    redisPerJob: commands / calls,
    coordinatorMsPerJob: (cpu.user + cpu.system) / 1000 / calls,
  });
  console.log(
    `  ${count} worker(s): ${perSecond.toFixed(1)} calls/s, ideal ${ideal.toFixed(0)}, ratio ${(perSecond / ideal).toFixed(3)}; Redis commands per job ${(commands / calls).toFixed(1)}; coordinator CPU ${((cpu.user + cpu.system) / 1000 / calls).toFixed(2)} ms per job`,
  );
}
const one = scaling[0]!;
for (const row of scaling.slice(1)) {
  console.log(
    `  scaling ${row.workers} vs 1: ${(row.perSecond / one.perSecond).toFixed(2)}x (linear ${row.workers}x)`,
  );
}
await server.stop();

// 2. a large candidate file: one local process against 2 workers (verification is CPU work)
const gold = readGold(join(ROOT, 'examples', 'geoquery', 'train.jsonl'));
const examples = makeCandidates(gold, 20, 11);
const input = join(folder, 'candidates.jsonl');
const repeated = Array.from({ length: lines }, (_, index) => ({
  ...(examples[index % examples.length] as object),
  id: index,
}));
writeFileSync(input, `${repeated.map((line) => JSON.stringify(line)).join('\n')}\n`);
const task = await loadBuiltinTask('sql');
const verifyOptions = { minVotes: 2 };
const localOut = join(folder, 'local.jsonl');
let started = performance.now();
await verifyTaskFile({
  task,
  taskOptions: { db: GEO, workers: 2 } as never,
  input,
  output: localOut,
  ...verifyOptions,
  ownsThread: true,
});
const localSeconds = (performance.now() - started) / 1000;
await obliterate(WORK_QUEUE);
const verifiers = await startWorkers(2);
const queuedOut = join(folder, 'queued.jsonl');
const commandsBefore = redisCommands();
started = performance.now();
const summary = await verifyOverQueue({
  queue: redis.url,
  task: { id: 'sql' },
  taskOptions: { db: GEO },
  verify: verifyOptions,
  input,
  output: queuedOut,
  chunkLines: 250,
});
const queuedSeconds = (performance.now() - started) / 1000;
const chunkCommands = redisCommands() - commandsBefore;
await stopWorkers(verifiers);
const same = readFileSync(localOut, 'utf8') === readFileSync(queuedOut, 'utf8');
console.log(
  `verify ${lines} lines (${summary.candidates} candidates): one process (2 threads) ${localSeconds.toFixed(2)} s, 2 workers ${queuedSeconds.toFixed(2)} s: ${(localSeconds / queuedSeconds).toFixed(2)}x; same bytes: ${same}; Redis commands per chunk ${(chunkCommands / Math.ceil(lines / 250)).toFixed(1)}`,
);
await redis.stop();
for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
if (!same) process.exitCode = 1;

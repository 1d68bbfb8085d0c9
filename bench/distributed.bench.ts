// Distributed runs on BullMQ and Redis (issue 19), side by side in one run:
// 1. model calls through the queue with 1, 2 and 4 `symgen worker` processes, each capped at CAP calls
//    at once, against a loopback server with a fixed latency: throughput over linear scaling, REPEATS
//    rounds (1, 2, 4 workers in each round, so a change in the machine's load touches all three), medians;
// 2. a large candidate file verified by 2 workers against one process (same bytes checked), medians;
// 3. `symgen generate --queue` end to end with 4 workers against the scripted GeoQuery model: what one
//    job costs the parts every worker shares (the coordinator's CPU and run.sqlite commits, Redis
//    commands, CPU and bytes), and from those the rate at which each part saturates (the model of
//    100 workers in bench/RESULTS.md).
// Run: npm run bench:distributed
//   (WARM_S=3 WINDOW_S=10 LATENCY_MS=1000 CAP=16 REPEATS=3 LINES=4000 COUNT=200 GEN_LATENCY_MS=0 PARTS=1,2,3 to change the setup)
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { parseGenerateConfig } from '../src/config/index.js';
import { parseQueueUrl } from '../src/distributed/connection.js';
import { LLM_QUEUE, WORK_QUEUE } from '../src/distributed/jobs.js';
import { createQueuedProvider } from '../src/distributed/llm-jobs.js';
import { verifyOverQueue } from '../src/distributed/verify-over-queue.js';
import { runGenerate } from '../src/generate/pipeline/index.js';
import { loadBuiltinTask } from '../src/tasks/registry/load-builtin-task.js';
import { startTestRedisServer } from '../src/testing/index.js';
import { verifyTaskFile } from '../src/verify/verify-task-file.js';
import { makeCandidates, readGold } from './make-candidates.js';

const ROOT = join(import.meta.dirname, '..');
const warmSeconds = Number(process.env.WARM_S ?? 3);
const windowSeconds = Number(process.env.WINDOW_S ?? 10);
const latencyMs = Number(process.env.LATENCY_MS ?? 1000);
const cap = Number(process.env.CAP ?? 16);
const repeats = Number(process.env.REPEATS ?? 3);
const lines = Number(process.env.LINES ?? 4000);
const count = Number(process.env.COUNT ?? 200);
const genLatencyMs = Number(process.env.GEN_LATENCY_MS ?? 0);
const parts = new Set((process.env.PARTS ?? '1,2,3').split(',').map(Number));
const GEO = join(ROOT, 'examples', 'geoquery', 'geography.sqlite');
const folder = mkdtempSync(join(tmpdir(), 'symgen-bench-distributed-'));
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

const redis = await startTestRedisServer();
const connection = parseQueueUrl(redis.url);
const children: ChildProcess[] = [];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** CPU milliseconds (user + system) a process has used, from /proc. */
function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** /proc/PID/stat's fields after the command name: [0] is field 3 (state), [1] the parent's pid. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Processes that are not the coordinator's, though this process started them (workers, servers, Redis). */
const notCoordinator = new Set<number>([
  Number(
    execFileSync('redis-cli', ['-p', String(redis.port), 'INFO', 'server'], { encoding: 'utf8' }).match(
      /process_id:(\d+)/,
    )![1],
  ),
]);

/**
 * CPU milliseconds of a process and its descendants: its own, its finished children's (the kernel adds
 * them to it when they are waited for) and its live children's, less those in `exclude`.
 */
function treeCpuMs(pid: number, exclude: ReadonlySet<number> = new Set()): number {
  const fields = statFields(pid);
  let total =
    ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / TICKS;
  for (const entry of readdirSync('/proc')) {
    const child = Number(entry);
    if (!Number.isInteger(child) || exclude.has(child)) continue;
    try {
      if (Number(statFields(child)[1]) === pid) total += treeCpuMs(child, exclude);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Redis's own counters: commands run (Lua scripts' inner commands included), CPU ms, bytes in and out. */
function redisCounters(): { commands: number; cpuMs: number; bytes: number; memory: number } {
  const info = execFileSync('redis-cli', ['-p', String(redis.port), 'INFO', 'everything'], {
    encoding: 'utf8',
  });
  const value = (name: string) => Number(info.match(new RegExp(`^${name}:([0-9.]+)`, 'm'))?.[1] ?? 0);
  return {
    commands: [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0),
    cpuMs: (value('used_cpu_user') + value('used_cpu_sys')) * 1000,
    bytes: value('total_net_input_bytes') + value('total_net_output_bytes'),
    memory: value('used_memory'),
  };
}

/** Everything one measured stretch cost, per job. */
interface Costs {
  redisCommands: number;
  redisCpuMs: number;
  redisBytes: number;
  /** Growth of Redis's memory: finished jobs stay 24 hours (KEEP_FINISHED) with their results. */
  redisMemory: number;
  coordinatorCpuMs: number;
  workerCpuMs: number;
}

function startCosting(workers: readonly ChildProcess[]) {
  const redisBefore = redisCounters();
  // the coordinator is this process with the children it starts itself (SQL executor processes)
  const coordinatorBefore = treeCpuMs(process.pid, notCoordinator);
  const workersBefore = workers.reduce((sum, child) => sum + treeCpuMs(child.pid!), 0);
  return (jobs: number): Costs => {
    const redisAfter = redisCounters();
    const coordinator = treeCpuMs(process.pid, notCoordinator) - coordinatorBefore;
    const workersAfter = workers.reduce((sum, child) => sum + treeCpuMs(child.pid!), 0);
    return {
      redisCommands: (redisAfter.commands - redisBefore.commands) / jobs,
      redisCpuMs: (redisAfter.cpuMs - redisBefore.cpuMs) / jobs,
      redisBytes: (redisAfter.bytes - redisBefore.bytes) / jobs,
      redisMemory: (redisAfter.memory - redisBefore.memory) / jobs,
      coordinatorCpuMs: coordinator / jobs,
      workerCpuMs: (workersAfter - workersBefore) / jobs,
    };
  };
}

const describeCosts = (costs: Costs) =>
  `Redis ${costs.redisCommands.toFixed(1)} commands, ${costs.redisCpuMs.toFixed(2)} ms CPU, ${(costs.redisBytes / 1024).toFixed(1)} KiB sent and received, ${(costs.redisMemory / 1024).toFixed(1)} KiB kept; coordinator ${costs.coordinatorCpuMs.toFixed(2)} ms CPU; workers ${costs.workerCpuMs.toFixed(2)} ms CPU`;

async function startChild(script: string, argument: string) {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [argument], {
    execArgv: ['--import', 'tsx'],
  });
  notCoordinator.add(child.pid!);
  const { baseURL } = await new Promise<{ baseURL: string }>((resolve) =>
    child.once('message', resolve as never),
  );
  return {
    baseURL,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function startWorkers(workerCount: number, extra: string[] = []): Promise<ChildProcess[]> {
  const started = Array.from({ length: workerCount }, () => {
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
    notCoordinator.add(child.pid!);
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

async function stopWorkers(workers: readonly ChildProcess[]) {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function obliterate(name: string) {
  const queue = new Queue(name, { connection });
  await queue.obliterate({ force: true });
  await queue.close();
}

console.log(`distributed bench, ${new Date().toISOString()}, load average at start ${load()}`);

if (parts.has(1)) {
  // 1. scaling of model calls
  const server = await startChild('./llm-bench-server.ts', JSON.stringify({ latencyMs }));
  const llmConfig = {
    provider: {
      kind: 'openai-compatible' as const,
      model: 'bench',
      baseURL: server.baseURL,
      api: 'chat' as const,
    },
    // the worker's own scheduler starts at the cap: the per-worker cap is the worker's --llm-concurrency
    scheduler: { maxConcurrency: 1000, initialConcurrency: cap, maxRetries: 5, timeoutMs: 120_000 },
  };
  console.log(
    `\n1. model calls: a backlog of twice the slots, ${warmSeconds} s to warm up, completions counted over ${windowSeconds} s; server latency ${latencyMs} ms, ${cap} calls at once per worker, ${repeats} rounds`,
  );
  const scaling = new Map<number, { perSecond: number; costs: Costs }[]>();
  for (let round = 1; round <= repeats; round++) {
    for (const workerCount of [1, 2, 4]) {
      await obliterate(LLM_QUEUE);
      const workers = await startWorkers(workerCount);
      const queued = await createQueuedProvider(redis.url, llmConfig, {
        provider: 'openai-compatible.chat',
        modelId: 'bench',
        cacheScope: server.baseURL,
      });
      // a steady backlog (twice the slots) for WARM_S, not measured (workers load their model client,
      // slots fill), then completions counted over WINDOW_S: the rate of a long run, without the ramp
      // up and the last, partly filled wave of a fixed batch
      let stop = false;
      let counting = false;
      let completed = 0;
      let next = 0;
      const clients = Array.from({ length: 2 * workerCount * cap }, async () => {
        while (!stop) {
          const index = next++;
          await queued.provider.doGenerate({
            messages: [{ role: 'user', content: `round ${round} workers ${workerCount} call ${index}` }],
            n: 1,
            seed: index,
          });
          if (counting) completed++;
        }
      });
      await sleep(warmSeconds * 1000);
      const cost = startCosting(workers);
      const serverBefore = cpuMs(server.child.pid!);
      counting = true;
      const started = performance.now();
      await sleep(windowSeconds * 1000);
      counting = false;
      const seconds = (performance.now() - started) / 1000;
      const costs = cost(completed);
      const serverMs = (cpuMs(server.child.pid!) - serverBefore) / completed;
      stop = true;
      await Promise.all(clients);
      await queued.close();
      await stopWorkers(workers);
      const perSecond = completed / seconds;
      const ideal = (workerCount * cap * 1000) / latencyMs;
      scaling.set(workerCount, [...(scaling.get(workerCount) ?? []), { perSecond, costs }]);
      console.log(
        `  round ${round}, ${workerCount} worker(s): ${perSecond.toFixed(1)} calls/s (ideal ${ideal.toFixed(0)}, ${(perSecond / ideal).toFixed(3)}); per job: ${describeCosts(costs)}; server ${serverMs.toFixed(2)} ms CPU; load ${load()}`,
      );
    }
  }
  await server.stop();
  const medianOne = median(scaling.get(1)!.map((row) => row.perSecond));
  console.log(
    '\n| workers | calls/s (median) | ideal (workers x cap / latency) | over ideal | over linear from 1 worker |',
  );
  console.log('|---|---|---|---|---|');
  for (const [workerCount, rows] of scaling) {
    const perSecond = median(rows.map((row) => row.perSecond));
    const ideal = (workerCount * cap * 1000) / latencyMs;
    console.log(
      `| ${workerCount} | ${perSecond.toFixed(1)} | ${ideal.toFixed(0)} | ${(perSecond / ideal).toFixed(3)} | ${(perSecond / (workerCount * medianOne)).toFixed(3)} |`,
    );
  }
  const all = [...scaling.values()].flat();
  const medianCost = (name: keyof Costs) => median(all.map((row) => row.costs[name]));
  const callCosts: Costs = {
    redisCommands: medianCost('redisCommands'),
    redisCpuMs: medianCost('redisCpuMs'),
    redisBytes: medianCost('redisBytes'),
    redisMemory: medianCost('redisMemory'),
    coordinatorCpuMs: medianCost('coordinatorCpuMs'),
    workerCpuMs: medianCost('workerCpuMs'),
  };
  console.log(`per model-call job (median of all runs): ${describeCosts(callCosts)}; load ${load()}`);
}

let same = true;
if (parts.has(2)) {
  // 2. a large candidate file: one local process against 2 workers (verification is CPU work)
  // every line its own question: past the 600 GeoQuery train pairs, a gold query comes back wrapped as
  // SELECT * FROM (query) AS copyN, the same rows from another program, so no line's programs repeat
  // an earlier line's (a process's program cache would otherwise answer the copies)
  const gold = readGold(join(ROOT, 'examples', 'geoquery', 'train.jsonl'));
  const expanded = Array.from({ length: lines }, (_, index) => {
    const line = gold[index % gold.length]!;
    const copy = Math.floor(index / gold.length);
    return copy === 0
      ? line
      : { ...line, query: `SELECT * FROM (${line.query.replace(/;\s*$/, '')}) AS copy${copy}` };
  });
  const repeated = makeCandidates(expanded, 20, 11).map((line, index) => ({
    ...(line as object),
    id: index,
  }));
  const input = join(folder, 'candidates.jsonl');
  writeFileSync(input, `${repeated.map((line) => JSON.stringify(line)).join('\n')}\n`);
  const warmUp = join(folder, 'warm-up-candidates.jsonl');
  writeFileSync(
    warmUp,
    `${repeated
      .slice(0, 40)
      .map((line) => JSON.stringify({ ...line, id: `warm-up-${(line as { id: number }).id}` }))
      .join('\n')}\n`,
  );
  const task = await loadBuiltinTask('sql');
  const verifyOptions = { minVotes: 2 };
  const chunkLines = 250;
  const chunks = Math.ceil(lines / chunkLines);
  console.log(`\n2. verify ${lines} lines of 20 candidates, ${chunkLines} lines per job, ${repeats} rounds`);
  const localTimes: number[] = [];
  const queuedTimes: number[] = [];
  const localCpuMs: number[] = [];
  const chunkCosts: Costs[] = [];
  for (let round = 1; round <= repeats; round++) {
    const localOut = join(folder, 'local.jsonl');
    const localCpu = process.cpuUsage();
    let started = performance.now();
    await verifyTaskFile({
      task,
      taskOptions: { db: GEO } as never,
      input,
      output: localOut,
      ...verifyOptions,
      ownsThread: true,
    });
    localTimes.push((performance.now() - started) / 1000);
    const localCpuUsed = process.cpuUsage(localCpu);
    localCpuMs.push((localCpuUsed.user + localCpuUsed.system) / 1000);
    await obliterate(WORK_QUEUE);
    const verifiers = await startWorkers(2);
    // a first small file, not measured, so each worker has loaded the SQL task and started its threads
    await verifyOverQueue({
      queue: redis.url,
      task: { id: 'sql' },
      taskOptions: { db: GEO },
      verify: verifyOptions,
      input: warmUp,
      output: join(folder, 'warm-up.jsonl'),
      chunkLines: 10,
    });
    const queuedOut = join(folder, 'queued.jsonl');
    const cost = startCosting(verifiers);
    started = performance.now();
    await verifyOverQueue({
      queue: redis.url,
      task: { id: 'sql' },
      taskOptions: { db: GEO },
      verify: verifyOptions,
      input,
      output: queuedOut,
      chunkLines,
    });
    queuedTimes.push((performance.now() - started) / 1000);
    chunkCosts.push(cost(chunks));
    await stopWorkers(verifiers);
    same &&= readFileSync(localOut, 'utf8') === readFileSync(queuedOut, 'utf8');
    console.log(
      `  round ${round}: one process ${localTimes.at(-1)!.toFixed(2)} s (${(localCpuMs.at(-1)! / 1000).toFixed(2)} s CPU), 2 workers ${queuedTimes.at(-1)!.toFixed(2)} s; per chunk: ${describeCosts(chunkCosts.at(-1)!)}; load ${load()}`,
    );
  }
  console.log(
    `median: one process (its default threads) ${median(localTimes).toFixed(2)} s, 2 workers ${median(queuedTimes).toFixed(2)} s: ${(median(localTimes) / median(queuedTimes)).toFixed(2)}x; CPU: one process ${(median(localCpuMs) / 1000).toFixed(2)} s, coordinator + workers + Redis ${((median(chunkCosts.map((costs) => costs.coordinatorCpuMs + costs.workerCpuMs + costs.redisCpuMs)) * chunks) / 1000).toFixed(2)} s; same bytes in every round: ${same}`,
  );
}

if (parts.has(3)) {
  // 3. generate --queue end to end: the coordinator's share of each job. run.sqlite commits are counted
  // by wrapping better-sqlite3 in this process (the coordinator's): a statement run outside a
  // transaction, or an outermost transaction, is one commit.
  const writes = { commits: 0, ms: 0, rows: 0 };
  {
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as {
      run: (...args: unknown[]) => Database.RunResult;
    };
    probe.close();
    const run = statement.run;
    statement.run = function (this: Database.Statement, ...args: unknown[]) {
      const outer = !this.database.inTransaction && !this.reader;
      const started = performance.now();
      const result = run.apply(this, args);
      if (outer) {
        writes.commits++;
        writes.ms += performance.now() - started;
      }
      writes.rows += result.changes;
      return result;
    };
    const transaction = Database.prototype.transaction;
    Database.prototype.transaction = function (this: Database.Database, fn: (...args: never[]) => unknown) {
      const database = this;
      const wrapped = transaction.call(this, fn) as (...args: unknown[]) => unknown;
      return function (this: unknown, ...args: unknown[]) {
        const outer = !database.inTransaction;
        const started = performance.now();
        try {
          return wrapped.apply(this, args);
        } finally {
          if (outer) {
            writes.commits++;
            writes.ms += performance.now() - started;
          }
        }
      } as never;
    } as never;
  }
  const geoServer = await startChild('./geo-model-server.ts', String(genLatencyMs));
  await obliterate(LLM_QUEUE);
  const genWorkers = await startWorkers(4);
  const genConfig = (dir: string) =>
    parseGenerateConfig(
      {
        count,
        seed: 7,
        knowledge: { db: GEO },
        demonstrations: { file: join(ROOT, 'examples', 'geoquery', 'train.jsonl'), selection: 'bm25' },
        generation: { genQ: { n: 20 }, genA: { n: 20 } },
        verify: { minVotes: 5 },
        llm: {
          provider: { kind: 'openai-compatible', model: 'geo-model', baseURL: geoServer.baseURL },
          scheduler: { maxConcurrency: 64, initialConcurrency: cap },
        },
        output: { dir, formats: [] },
      },
      'bench',
    );
  console.log(
    `\n3. generate --queue: ${count} GeoQuery questions, 20 samples per prompt and per question, 4 workers, server latency ${genLatencyMs} ms`,
  );
  // the same run in one process first: the distributed run must write the same bytes
  const localDir = join(folder, 'generate-local');
  let started = performance.now();
  await runGenerate({ config: genConfig(localDir) });
  const localSeconds = (performance.now() - started) / 1000;
  Object.assign(writes, { commits: 0, ms: 0, rows: 0 });
  const queuedDir = join(folder, 'generate-queued');
  const genCost = startCosting(genWorkers);
  started = performance.now();
  const summary = await runGenerate({ config: genConfig(queuedDir), queue: redis.url });
  const genSeconds = (performance.now() - started) / 1000;
  const sameGenerate = ['dataset.jsonl', 'rejected.jsonl'].every(
    (file) => readFileSync(join(localDir, file), 'utf8') === readFileSync(join(queuedDir, file), 'utf8'),
  );
  same &&= sameGenerate;
  const llmQueue = new Queue(LLM_QUEUE, { connection });
  const jobs = (await llmQueue.getJobCounts('completed')).completed ?? 0;
  await llmQueue.close();
  const genCosts = genCost(jobs);
  await stopWorkers(genWorkers);
  await geoServer.stop();
  const decided = summary.stats.examples.total;
  const perJob = {
    ...genCosts,
    commits: writes.commits / jobs,
    rows: writes.rows / jobs,
    commitMs: writes.ms / writes.commits,
    examples: decided / jobs,
  };
  console.log(
    `  ${jobs} model-call jobs, ${decided} examples decided (${summary.stats.examples.accepted} accepted) in ${genSeconds.toFixed(1)} s (one process: ${localSeconds.toFixed(1)} s); dataset.jsonl and rejected.jsonl equal the one-process run's: ${sameGenerate}; load ${load()}`,
  );
  console.log(
    `  per job: ${describeCosts(genCosts)}; run.sqlite ${perJob.commits.toFixed(2)} commits (${perJob.rows.toFixed(1)} rows), ${perJob.commitMs.toFixed(3)} ms per commit; ${perJob.examples.toFixed(3)} examples`,
  );
  // the parts every worker shares, each on one core: the rate (jobs/s) at which each is busy all the time
  const limits = [
    { part: 'coordinator CPU (pipeline, verification, queue client)', jobs: 1000 / perJob.coordinatorCpuMs },
    { part: 'coordinator run.sqlite commits', jobs: 1000 / (perJob.commits * perJob.commitMs) },
    { part: 'Redis (one thread)', jobs: 1000 / perJob.redisCpuMs },
  ].sort((a, b) => a.jobs - b.jobs);
  console.log('\n| shared part | saturates at jobs/s | examples/s | Redis commands/s then |');
  console.log('|---|---|---|---|');
  for (const limit of limits)
    console.log(
      `| ${limit.part} | ${limit.jobs.toFixed(0)} | ${(limit.jobs * perJob.examples).toFixed(0)} | ${(limit.jobs * perJob.redisCommands).toFixed(0)} |`,
    );
  console.log(`load average at the end ${load()}`);
}

await redis.stop();
for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
rmSync(folder, { recursive: true, force: true });
if (!same) process.exitCode = 1;

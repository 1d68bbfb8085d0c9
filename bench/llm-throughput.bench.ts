// LLM scheduler benchmark: achieved throughput over the ideal (cap / latency) against the local
// test server with a fixed latency, client CPU time per request, and n=20 in one request against
// 20 requests. Run: npm run bench:llm  (REQUESTS=3000 LATENCY_MS=200 CAP=64 to change the setup)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createOpenAICompatible, createScheduler, type LlmProvider, wrapProvider } from '../src/index.js';
import type { LlmTestServerOptions } from '../src/testing/index.js';

const requests = Number(process.env.REQUESTS ?? 3000);
const latencyMs = Number(process.env.LATENCY_MS ?? 200);
const cap = Number(process.env.CAP ?? 64);
const messages = [{ role: 'user' as const, content: 'Write a SQL query that counts the singers.' }];

async function startServer(options: LlmTestServerOptions) {
  const child = fork(
    fileURLToPath(new URL('./llm-bench-server.ts', import.meta.url)),
    [JSON.stringify(options)],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const { baseURL } = await new Promise<{ baseURL: string }>((resolve) =>
    child.once('message', resolve as never),
  );
  return {
    baseURL,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function run(model: LlmProvider, count: number, n: number) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let samples = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      const result = await model.doGenerate({ messages, n, temperature: 0.8 });
      samples += result.samples.length;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, samples, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / count };
}

async function throughput(
  label: string,
  serverOptions: LlmTestServerOptions,
  schedulerMax: number,
  initial: number,
) {
  const server = await startServer({ latencyMs, ...serverOptions });
  const scheduler = createScheduler({ concurrency: { max: schedulerMax, initial }, onMessage: () => {} });
  const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'bench' }), [
    scheduler.middleware,
  ]);
  await run(model, Math.min(200, requests), 1); // warm up connections and the JIT
  const result = await run(model, requests, 1);
  await server.stop();
  const ideal = cap / (latencyMs / 1000);
  const achieved = requests / result.seconds;
  const stats = scheduler.stats();
  console.log(
    `| ${label} | ${requests} | ${achieved.toFixed(1)} | ${ideal.toFixed(1)} | ${(achieved / ideal).toFixed(3)} | ${result.cpuMsPerRequest.toFixed(3)} | ${stats.rateLimited} | ${stats.concurrencyLimit} |`,
  );
}

/** Baseline: `cap` loops of bare fetch calls, no provider or scheduler, same server and count. */
async function rawFetchPool() {
  const server = await startServer({ latencyMs });
  const body = JSON.stringify({ model: 'bench', messages });
  const go = async (count: number) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: cap }, async () => {
        while (next++ < count) {
          const response = await fetch(`${server.baseURL}/chat/completions`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json' },
          });
          await response.json();
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  };
  await go(Math.min(200, requests));
  const cpuBefore = process.cpuUsage();
  const achieved = await go(requests);
  const cpu = process.cpuUsage(cpuBefore);
  await server.stop();
  const ideal = cap / (latencyMs / 1000);
  console.log(
    `| baseline: ${cap} loops of bare fetch, no scheduler | ${requests} | ${achieved.toFixed(1)} | ${ideal.toFixed(1)} | ${(achieved / ideal).toFixed(3)} | ${((cpu.user + cpu.system) / 1000 / requests).toFixed(3)} | - | - |`,
  );
}

async function samplesPerRequest() {
  const server = await startServer({ latencyMs });
  const prompts = Math.max(10, Math.floor(requests / 20));
  const rows: string[] = [];
  for (const [label, perCall] of [
    ['n=20 in one request', 128],
    ['20 requests of n=1', 1],
  ] as const) {
    const scheduler = createScheduler({ concurrency: { max: cap, initial: cap }, onMessage: () => {} });
    const provider = createOpenAICompatible({
      baseURL: server.baseURL,
      model: 'bench',
      maxSamplesPerCall: perCall,
    });
    const model = wrapProvider(provider, [scheduler.middleware]);
    const result = await run(model, prompts, 20);
    rows.push(
      `| ${label} | ${prompts} | ${result.samples} | ${scheduler.stats().attempts} | ${result.seconds.toFixed(2)} | ${((result.cpuMsPerRequest * prompts) / result.samples).toFixed(3)} |`,
    );
  }
  await server.stop();
  console.log(
    '\n| 20 samples per prompt | prompts | samples | HTTP requests | wall s | client CPU ms / sample |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

console.log(`node ${process.version}, latency ${latencyMs} ms, cap ${cap}, ${requests} requests\n`);
console.log(
  '| scenario | requests | achieved req/s | ideal req/s | ratio | client CPU ms / request | 429s | final limit |',
);
console.log('|---|---|---|---|---|---|---|---|');
await rawFetchPool();
await throughput('scheduler max = cap, start at cap', {}, cap, cap);
await throughput('scheduler max = cap, adaptive from 4', {}, cap, 4);
await throughput(
  'server answers 429 above cap, scheduler max = 2 x cap',
  { concurrencyCap: cap },
  cap * 2,
  4,
);
await samplesPerRequest();

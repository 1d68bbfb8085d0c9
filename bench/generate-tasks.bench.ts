// symgen generate for every built-in task against a fixed-latency loopback server (the scripted
// model over each task's test/data slice): examples decided per second beside the ideal the
// latency and concurrency set. The pipeline runs in rounds: up to `promptsPerRound` gen_q prompts
// at once (one latency), then the round's questions, `concurrency` at a time (one latency each), so
// the ideal time of a run is LATENCY x sum over rounds of (1 + ceil(questions of the round / C)).
//   npm run bench:generate-tasks   (COUNT=48 LATENCY_MS=50 N=10 CONCURRENCY=16 TASKS=sql,python,...)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseGenerateConfig } from '../src/config/index.js';
import { runGenerate } from '../src/generate/pipeline/index.js';
import { createLlmTestServer, createScriptedTaskModel } from '../src/testing/index.js';
import { generateCases, storedQuestion } from '../test/task-cases.js';

const COUNT = Number(process.env.COUNT ?? 48);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const N = Number(process.env.N ?? 10);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const TASKS = process.env.TASKS?.split(',');
const folder = mkdtempSync(join(tmpdir(), 'symgen-bench-generate-tasks-'));

/** Ideal seconds of a finished run: one latency per round of gen_q, ceil(questions / C) per round of gen_a. */
function idealSeconds(dir: string): { seconds: number; rounds: number } {
  const db = new Database(join(dir, 'run.sqlite'), { readonly: true });
  const rows = db
    .prepare(
      `SELECT p.round AS round, count(e.id) AS questions FROM prompts p LEFT JOIN examples e ON e.prompt_id = p.id
       GROUP BY p.round ORDER BY p.round`,
    )
    .all() as { round: number; questions: number }[];
  db.close();
  const latencies = rows.reduce((sum, row) => sum + 1 + Math.ceil(row.questions / CONCURRENCY), 0);
  return { seconds: (latencies * LATENCY_MS) / 1000, rounds: rows.length };
}

const rows: string[] = [];
for (const entry of generateCases(folder, 60)) {
  const { task } = entry;
  if (TASKS && !TASKS.includes(task.id)) continue;
  const server = await createLlmTestServer({
    respond: createScriptedTaskModel({
      items: entry.items,
      asked: (question) => storedQuestion(task, question),
      fence: entry.fence,
      latencyMs: LATENCY_MS,
    }),
  });
  const dir = join(folder, task.id);
  const config = parseGenerateConfig(
    {
      task: task.id,
      count: COUNT,
      seed: 1,
      ...(entry.flags[0] === '--db' ? { knowledge: { db: entry.flags[1] } } : {}),
      demonstrations: { file: entry.demos, k: 4 },
      generation: { genQ: { n: N }, genA: { n: N }, concurrency: CONCURRENCY, promptsPerRound: 8 },
      verify: { minVotes: Math.max(1, Math.round(N / 4)) },
      llm: { provider: { kind: 'openai-compatible', model: 'scripted', baseURL: server.baseURL } },
      output: { dir },
    },
    'bench',
  );
  const started = performance.now();
  const summary = await runGenerate({ config });
  const seconds = (performance.now() - started) / 1000;
  await server.close();
  const decided = summary.stats.examples.accepted + summary.stats.examples.rejected;
  const ideal = idealSeconds(dir);
  const rate = decided / seconds;
  const idealRate = decided / ideal.seconds;
  rows.push(
    `| ${task.id} | ${decided} | ${summary.stats.examples.accepted} | ${ideal.rounds} | ${seconds.toFixed(2)} | ${ideal.seconds.toFixed(2)} | ${rate.toFixed(1)} | ${idealRate.toFixed(1)} | ${(rate / idealRate).toFixed(2)} |`,
  );
  process.stderr.write(`${task.id}: ${decided} examples in ${seconds.toFixed(2)} s\n`);
}
console.log(
  `COUNT=${COUNT} LATENCY_MS=${LATENCY_MS} N=${N} CONCURRENCY=${CONCURRENCY} (promptsPerRound 8)\n`,
);
console.log(
  '| task | examples | accepted | rounds | seconds | ideal s | examples/s | ideal examples/s | ratio |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);

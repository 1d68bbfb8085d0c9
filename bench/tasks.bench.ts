/**
 * Verification throughput of the non-SQL tasks, one run each, side by side: `verifyTaskFile` (the
 * path behind `symgen verify --task T`) on real benchmark lines, each example with 4 candidates (the
 * gold program twice in two surface forms, another example's program, a broken one). Reports
 * candidates per second and, for Bash, parsing against running in the sandbox (the ratio).
 *
 * BENCH_COUNT (default 200) examples per task, BENCH_WORKERS (default: cores) sandboxed workers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashTask } from '../src/tasks/bash/index.js';
import { mathTask, programFromRationale } from '../src/tasks/math/index.js';
import { pythonTask } from '../src/tasks/python/index.js';
import { qdmrTask } from '../src/tasks/qdmr/index.js';
import type { TaskPlugin } from '../src/tasks/spec.js';
import { topTask } from '../src/tasks/top/index.js';
import { verifyTaskFile } from '../src/verify/index.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 200);
const WORKERS = Number(process.env.BENCH_WORKERS ?? availableParallelism());
const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data');
const FIXTURE = join(import.meta.dirname, '..', 'src', 'sandbox', 'bash', '__fixtures__', 'small');
const folder = mkdtempSync(join(tmpdir(), 'symgen-bench-tasks-'));

const read = (path: string) =>
  readFileSync(join(DATA, path), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Four candidates an example: gold, gold in another form, a neighbour's gold, a broken program. */
function lines(
  rows: Record<string, unknown>[],
  gold: (row: Record<string, unknown>) => string,
  variant: (p: string) => string,
  broken: string,
  keep: string[] = [],
) {
  return rows.slice(0, COUNT).map((row, index) => ({
    id: index,
    ...Object.fromEntries(keep.map((field) => [field, row[field]])),
    candidates: [gold(row), variant(gold(row)), gold(rows[(index + 1) % rows.length]!), broken],
  }));
}

interface Case {
  readonly name: string;
  readonly task: TaskPlugin<never>;
  readonly options?: Record<string, unknown>;
  readonly input: unknown[];
}

const mbpp = read('mbpp/mbpp.jsonl').filter(
  (row) => (row.task_id as number) >= 11 && (row.task_id as number) <= 510,
);
const gsm = read('gsm8k/test.jsonl').filter((row) => programFromRationale(row.answer as string) !== null);
const bash = read('nl2bash/dev.jsonl');
const cases: Case[] = [
  {
    name: 'top (MTOP dev)',
    task: topTask as TaskPlugin<never>,
    input: lines(
      read('mtop/dev.jsonl'),
      (row) => row.logical_form as string,
      (p) => p.replace(/ \]/g, ']'),
      '[IN:X [SL:',
    ),
  },
  {
    name: 'qdmr (Break dev)',
    task: qdmrTask as TaskPlugin<never>,
    input: lines(
      read('break/dev.jsonl'),
      (row) => row.decomposition as string,
      (p) => p.toUpperCase(),
      'return #9',
    ),
  },
  {
    name: 'bash, parse (NL2Bash dev)',
    task: bashTask as TaskPlugin<never>,
    input: lines(
      bash,
      (row) => row.bash as string,
      (p) => `\`\`\`bash\n${p}\n\`\`\``,
      "echo 'x",
    ),
  },
  {
    name: 'bash, --execute (NL2Bash dev)',
    task: bashTask as TaskPlugin<never>,
    options: { execute: true, fixture: FIXTURE, workers: WORKERS, timeoutMs: 2000 },
    input: lines(
      bash,
      (row) => row.bash as string,
      (p) => `\`\`\`bash\n${p}\n\`\`\``,
      "echo 'x",
    ),
  },
  {
    name: 'python, MBPP asserts',
    task: pythonTask as TaskPlugin<never>,
    options: { workers: WORKERS },
    input: lines(
      mbpp,
      (row) => row.code as string,
      (p) => `\`\`\`python\n${p}\n\`\`\``,
      'def f(:',
      ['test_list', 'test_setup_code'],
    ),
  },
  {
    name: 'math, GSM8K programs',
    task: mathTask as TaskPlugin<never>,
    options: { workers: WORKERS },
    input: lines(
      gsm,
      (row) => programFromRationale(row.answer as string)!,
      (p) => `${p}\nprint(answer)`,
      'answer = (',
    ),
  },
];

const results: { name: string; candidates: number; ms: number; executed: number; accepted: number }[] = [];
for (const entry of cases) {
  const input = join(folder, 'in.jsonl');
  writeFileSync(input, entry.input.map((line) => JSON.stringify(line)).join('\n'));
  const started = performance.now();
  const summary = await verifyTaskFile({
    task: entry.task,
    taskOptions: entry.options as never,
    input,
    output: join(folder, 'out.jsonl'),
    minVotes: 2,
  });
  const ms = performance.now() - started;
  results.push({
    name: entry.name,
    candidates: summary.candidates,
    ms,
    executed: summary.executed,
    accepted: summary.accepted,
  });
}

console.log(`| task | examples x candidates | executed (distinct) | accepted | time | candidates/s |`);
console.log(`|---|---|---|---|---|---|`);
for (const row of results) {
  console.log(
    `| ${row.name} | ${row.candidates / 4} x 4 | ${row.executed} | ${row.accepted} | ${Math.round(row.ms)} ms | ${Math.round((row.candidates / row.ms) * 1000)} |`,
  );
}
const parse = results.find((row) => row.name.startsWith('bash, parse'))!;
const run = results.find((row) => row.name.startsWith('bash, --execute'))!;
console.log(`\nbash: running in the sandbox / parsing = ${(run.ms / parse.ms).toFixed(1)}x the time`);

/**
 * Python candidates per second in the bubblewrap sandbox, before and after issue 20's hardening,
 * side by side in one run: this tree's sandbox against the sandbox of BENCH_BASELINE_REF (default
 * 97ceb34, the last commit before the hardening; its `src/` is extracted with `git archive` into
 * bench/out/baseline/ and imported as it was). Both run the same MBPP programs with their asserts:
 * the baseline as it did (asserts appended to the code, any exit 0 a pass), this tree with the
 * asserts judged by the worker. Warm workers (the default) and a sandbox per candidate, interleaved
 * and repeated; medians and their ratios are reported.
 *
 * BENCH_COUNT (default 300) programs, BENCH_PROCESS_COUNT (default 60) of them in the slow
 * per-candidate mode, BENCH_REPEATS (default 3), BENCH_CONCURRENCY (default: cores).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../src/sandbox/index.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const PROCESS_COUNT = Number(process.env.BENCH_PROCESS_COUNT ?? 60);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? availableParallelism());
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? '97ceb34';
const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'mbpp', 'sanitized-mbpp.json');

type Sandbox = typeof current;

/** The baseline's sandbox, from its own sources (git archive of `src/` at BASELINE_REF). */
async function loadBaseline(): Promise<Sandbox> {
  const directory = join(import.meta.dirname, 'out', 'baseline', BASELINE_REF);
  if (!existsSync(join(directory, 'src', 'sandbox', 'index.ts'))) {
    mkdirSync(directory, { recursive: true });
    const archive = execFileSync('git', ['archive', BASELINE_REF, 'src'], {
      cwd: join(import.meta.dirname, '..'),
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', directory], { input: archive });
  }
  return (await import(pathToFileURL(join(directory, 'src', 'sandbox', 'index.ts')).href)) as Sandbox;
}

interface Problem {
  readonly code: string;
  readonly test_imports: string[];
  readonly test_list: string[];
}

interface Candidate {
  readonly code: string;
  readonly tests: string[];
}

const SLOW_MS = 250;
const problems = (JSON.parse(readFileSync(DATA, 'utf8')) as Problem[]).slice(0, COUNT);
const allCandidates: Candidate[] = problems.map((problem) => ({
  code: [...problem.test_imports, problem.code].join('\n'),
  tests: problem.test_list,
}));
const baseline = await loadBaseline();

/** Keep the small programs: those that pass in under SLOW_MS in both sandboxes. */
async function smallCandidates(): Promise<Candidate[]> {
  const limits = { wallMs: 10_000, cpuSeconds: 5 };
  const [now, before] = await Promise.all([
    current.openProcessSandbox({ size: 1, limits }),
    baseline.openProcessSandbox({ size: 1, limits }),
  ]);
  try {
    const kept: Candidate[] = [];
    for (const candidate of allCandidates) {
      const [after, earlier] = await Promise.all([
        current.runPython(now, candidate),
        baseline.runPython(before, candidate),
      ]);
      if (
        after.status === 'ok' &&
        earlier.status === 'ok' &&
        Math.max(after.durationMs, earlier.durationMs) < SLOW_MS
      )
        kept.push(candidate);
    }
    return kept;
  } finally {
    await Promise.all([now.close(), before.close()]);
  }
}

const candidates = await smallCandidates();

async function mapLimited<T>(items: readonly T[], run: (item: T) => Promise<boolean>): Promise<number> {
  let next = 0;
  let passed = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const item = items[next++]!;
      if (await run(item)) passed += 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return passed;
}

async function measure(
  sandboxModule: Sandbox,
  mode: 'warm' | 'process',
  items: readonly Candidate[],
): Promise<{ seconds: number; passed: number }> {
  const sandbox = await sandboxModule.openProcessSandbox({
    mode,
    size: CONCURRENCY,
    limits: { wallMs: 10_000, cpuSeconds: 5 },
  });
  try {
    if (mode === 'warm')
      await Promise.all(
        Array.from({ length: CONCURRENCY }, () => sandboxModule.runPython(sandbox, { code: '' })),
      );
    const started = performance.now();
    const passed = await mapLimited(
      items,
      async (candidate) => (await sandboxModule.runPython(sandbox, candidate)).status === 'ok',
    );
    return { seconds: (performance.now() - started) / 1000, passed };
  } finally {
    await sandbox.close();
  }
}

const rows = [
  { name: 'warm, before (baseline)', module: baseline, mode: 'warm', items: candidates },
  { name: 'warm, after (hardened)', module: current, mode: 'warm', items: candidates },
  {
    name: 'per candidate, before (baseline)',
    module: baseline,
    mode: 'process',
    items: candidates.slice(0, PROCESS_COUNT),
  },
  {
    name: 'per candidate, after (hardened)',
    module: current,
    mode: 'process',
    items: candidates.slice(0, PROCESS_COUNT),
  },
] as const;
const seconds: number[][] = rows.map(() => []);
const passed: number[] = rows.map(() => 0);
for (let repeat = 0; repeat < REPEATS; repeat++) {
  // Alternate the order so that neither side always runs first.
  const order = repeat % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2];
  for (const index of order) {
    const row = rows[index]!;
    const result = await measure(row.module, row.mode, row.items);
    seconds[index]!.push(result.seconds);
    passed[index] = result.passed;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rate = (index: number) => rows[index]!.items.length / median(seconds[index]!);
console.log(
  `${candidates.length} of the first ${allCandidates.length} sanitized-MBPP programs with their asserts ` +
    `(${allCandidates.length - candidates.length} dropped: failing or over ${SLOW_MS} ms in either), ` +
    `${PROCESS_COUNT} of them per candidate; concurrency ${CONCURRENCY}, ${REPEATS} repeats, baseline ${BASELINE_REF}\n`,
);
console.log('| sandbox | candidates | median s | candidates/s | passed |');
console.log('|---|---|---|---|---|');
rows.forEach((row, index) => {
  console.log(
    `| ${row.name} | ${row.items.length} | ${median(seconds[index]!).toFixed(2)} | ${rate(index).toFixed(0)} | ${passed[index]} |`,
  );
});
console.log(`\nwarm: after / before throughput ${(rate(1) / rate(0)).toFixed(2)}x`);
console.log(`per candidate: after / before throughput ${(rate(3) / rate(2)).toFixed(2)}x`);

/**
 * Python candidates per second in the bubblewrap sandbox: warm workers (one fork per candidate)
 * against a new sandbox and Python per candidate, on MBPP programs with their asserts, side by side
 * in one run, interleaved and repeated; medians and their ratio are reported. A bare `python3`
 * process per candidate, with no sandbox at all, is measured too as a reference point only.
 *
 * BENCH_COUNT (default 300) programs, BENCH_REPEATS (default 3), BENCH_CONCURRENCY (default: cores).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { openProcessSandbox, runPython, type SandboxResult } from '../src/sandbox/index.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? availableParallelism());
const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'mbpp', 'sanitized-mbpp.json');

interface Problem {
  readonly code: string;
  readonly test_imports: string[];
  readonly test_list: string[];
}

const SLOW_MS = 250;
const problems = (JSON.parse(readFileSync(DATA, 'utf8')) as Problem[]).slice(0, COUNT);
const allPrograms = problems.map((problem) =>
  [...problem.test_imports, problem.code, ...problem.test_list].join('\n'),
);

/** Keep the small programs: those that pass in under SLOW_MS (one MBPP reference takes seconds). */
async function smallPrograms(): Promise<string[]> {
  const sandbox = await openProcessSandbox({ size: 1, limits: { wallMs: 10_000, cpuSeconds: 5 } });
  try {
    const kept: string[] = [];
    for (const code of allPrograms) {
      const result = await runPython(sandbox, { code });
      if (result.status === 'ok' && result.durationMs < SLOW_MS) kept.push(code);
    }
    return kept;
  } finally {
    await sandbox.close();
  }
}

const programs = await smallPrograms();

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

async function sandboxed(mode: 'warm' | 'process'): Promise<{ seconds: number; passed: number }> {
  const sandbox = await openProcessSandbox({
    mode,
    size: CONCURRENCY,
    limits: { wallMs: 10_000, cpuSeconds: 5 },
  });
  try {
    if (mode === 'warm')
      await Promise.all(Array.from({ length: CONCURRENCY }, () => runPython(sandbox, { code: '' })));
    const started = performance.now();
    const passed = await mapLimited(programs, async (code) => {
      const result: SandboxResult = await runPython(sandbox, { code });
      return result.status === 'ok';
    });
    return { seconds: (performance.now() - started) / 1000, passed };
  } finally {
    await sandbox.close();
  }
}

async function bare(): Promise<{ seconds: number; passed: number }> {
  const started = performance.now();
  const passed = await mapLimited(
    programs,
    (code) =>
      new Promise<boolean>((resolve) => {
        const child = spawn('/usr/bin/python3', ['-I', '-c', code], { stdio: 'ignore', env: {} });
        child.on('close', (exitCode) => resolve(exitCode === 0));
      }),
  );
  return { seconds: (performance.now() - started) / 1000, passed };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const runs = { warm: [] as number[], process: [] as number[], bare: [] as number[] };
const passedBy: Record<string, number> = {};
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const [name, measure] of [
    ['warm', () => sandboxed('warm')],
    ['process', () => sandboxed('process')],
    ['bare', bare],
  ] as const) {
    const { seconds, passed } = await measure();
    runs[name].push(seconds);
    passedBy[name] = passed;
  }
}

const rate = (name: keyof typeof runs) => programs.length / median(runs[name]);
console.log(
  `${programs.length} of the first ${allPrograms.length} sanitized-MBPP programs (code + asserts; ` +
    `${allPrograms.length - programs.length} dropped: failing or over ${SLOW_MS} ms), ` +
    `concurrency ${CONCURRENCY}, ${REPEATS} repeats\n`,
);
console.log('| mode | median s | candidates/s | passed |');
console.log('|---|---|---|---|');
for (const [name, label] of [
  ['warm', 'sandbox, warm workers (fork per candidate)'],
  ['process', 'sandbox, new bwrap + python per candidate'],
  ['bare', 'reference: bare python3 per candidate, NO sandbox'],
] as const) {
  console.log(
    `| ${label} | ${median(runs[name]).toFixed(2)} | ${rate(name).toFixed(0)} | ${passedBy[name]} |`,
  );
}
console.log(`\nwarm / process-per-candidate: ${(rate('warm') / rate('process')).toFixed(1)}x`);
console.log(`warm / bare python3 (no sandbox): ${(rate('warm') / rate('bare')).toFixed(1)}x`);

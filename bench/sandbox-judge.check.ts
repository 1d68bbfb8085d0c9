/**
 * Does the worker's judging (issue 20: asserts split into probes and worker-side checks on decoded
 * builtin values) accept what Python's own asserts accept? Every MBPP gold program runs with its
 * asserts in this tree's sandbox and in the pre-hardening one (BENCH_BASELINE_REF, default 97ceb34,
 * extracted by `npm run bench:sandbox` or here); the counts and every program judged differently
 * are printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../src/sandbox/index.js';

const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? '97ceb34';
const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'mbpp', 'mbpp.jsonl');
const directory = join(import.meta.dirname, 'out', 'baseline', BASELINE_REF);
if (!existsSync(join(directory, 'src', 'sandbox', 'index.ts'))) {
  mkdirSync(directory, { recursive: true });
  const archive = execFileSync('git', ['archive', BASELINE_REF, 'src'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', directory], { input: archive });
}
const baseline = (await import(
  pathToFileURL(join(directory, 'src', 'sandbox', 'index.ts')).href
)) as typeof current;

interface Row {
  readonly task_id: number;
  readonly code: string;
  readonly test_setup_code: string;
  readonly test_list: string[];
}
const rows = readFileSync(DATA, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Row);
const limits = { wallMs: 20_000, cpuSeconds: 10 };
const [after, before] = await Promise.all([
  current.openProcessSandbox({ size: 1, limits }),
  baseline.openProcessSandbox({ size: 1, limits }),
]);
const differences: string[] = [];
let passedAfter = 0;
let passedBefore = 0;
try {
  for (const row of rows) {
    const candidate = {
      code: [row.test_setup_code, row.code].filter(Boolean).join('\n'),
      tests: row.test_list,
    };
    const [now, then] = await Promise.all([
      current.runPython(after, candidate),
      baseline.runPython(before, candidate),
    ]);
    if (now.status === 'ok') passedAfter += 1;
    if (then.status === 'ok') passedBefore += 1;
    if (now.status !== then.status)
      differences.push(
        `task ${row.task_id}: after ${now.status} (${now.error ?? ''}), before ${then.status}`,
      );
  }
} finally {
  await Promise.all([after.close(), before.close()]);
}
console.log(
  `MBPP gold programs passing their asserts: ${passedAfter} of ${rows.length} after, ${passedBefore} before (${BASELINE_REF}); judged differently: ${differences.length}`,
);
for (const line of differences) console.log(line);

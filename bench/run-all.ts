/**
 * `npm run bench`: every `bench:*` script of package.json, one after another (they compete for the
 * same two cores, so never side by side), with a line per bench at the end. Exits non-zero when one
 * fails. `BENCH_ONLY=verify,sandbox` runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
).filter((name) => name.startsWith('bench:'));
const only = process.env.BENCH_ONLY?.split(',').map((name) => `bench:${name.trim()}`);
const chosen = only ? scripts.filter((name) => only.includes(name)) : scripts;
if (only && chosen.length !== only.length) {
  const known = scripts.map((name) => name.slice('bench:'.length)).join(', ');
  console.error(`BENCH_ONLY names a bench that does not exist; the benches are: ${known}`);
  process.exit(2);
}

const outcomes: string[] = [];
for (const script of chosen) {
  console.log(`\n=== npm run ${script}`);
  const started = performance.now();
  const run = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  outcomes.push(`${run.status === 0 ? 'ok    ' : 'FAILED'} ${script} (${seconds} s)`);
}
console.log(`\n${outcomes.join('\n')}`);
process.exit(outcomes.some((line) => line.startsWith('FAILED')) ? 1 : 0);

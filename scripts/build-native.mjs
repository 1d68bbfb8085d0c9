// Build the symgen_guard SQLite extension (native/symgen_guard.c) into build/native/, against the
// SQLite headers better-sqlite3 ships. Without a C compiler this warns and exits 0: symgen then runs
// SQL in executor processes instead of guarded worker threads.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['symgen_guard.c', 'run_statement.c'].map((name) => join(root, 'native', name));
const inputs = [...sources, join(root, 'native', 'run_statement.h')];
const target = join(root, 'build', 'native', 'symgen_guard.so');

function warn(message) {
  console.warn(`symgen: ${message}; SQL will run in executor processes (slower, as safe)`);
}

if (process.platform === 'win32') {
  warn('the symgen_guard extension is not built on Windows');
  process.exit(0);
}
let headers;
try {
  const require = createRequire(import.meta.url);
  headers = join(dirname(require.resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
} catch {
  warn('better-sqlite3 is not installed, so the SQLite headers are missing');
  process.exit(0);
}
if (existsSync(target) && inputs.every((input) => statSync(target).mtimeMs >= statSync(input).mtimeMs)) process.exit(0);
mkdirSync(dirname(target), { recursive: true });
const flags = ['-O2', '-fPIC', '-shared', '-I', headers, ...sources, '-o', target, '-lpthread', '-lm'];
if (process.platform === 'darwin') flags.splice(2, 1, '-dynamiclib', '-undefined', 'dynamic_lookup');
for (const compiler of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
  try {
    execFileSync(compiler, flags, { stdio: ['ignore', 'ignore', 'pipe'] });
    process.exit(0);
  } catch (error) {
    if (error.code !== 'ENOENT') {
      warn(`${compiler} could not build native/symgen_guard.c: ${String(error.stderr ?? error.message).trim().split('\n')[0]}`);
      process.exit(0);
    }
  }
}
warn('no C compiler (cc, gcc or clang) found to build native/symgen_guard.c');

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { profileArguments } from '../execute/profile-arguments.js';

/**
 * Start the worker thread `name` of this folder (`verify-worker`, `sql-worker`): the built
 * JavaScript, or (under vitest or tsx) the TypeScript source through tsx.
 */
export function startWorker(name: 'verify-worker' | 'sql-worker'): Worker {
  const profile = profileArguments();
  if (!fileURLToPath(import.meta.url).endsWith('.ts')) {
    return new Worker(new URL(`./${name}.js`, import.meta.url), { execArgv: profile });
  }
  // Workers do not take `--import tsx`: register tsx's loader in the thread, then import the source.
  const tsx = join(
    dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
    'dist/esm/api/index.mjs',
  );
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  const code = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(code, { eval: true, execArgv: profile });
}

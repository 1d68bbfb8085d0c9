import { startReviewServer } from '../../review/index.js';
import { integerFlag } from './flags.js';

/** Run `symgen review` until Ctrl-C; returns the exit code. */
export async function runReview(
  runDirectory: string,
  flags: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<number> {
  const port = integerFlag('--port', flags.port ?? '0');
  const server = await startReviewServer({
    runDirectory,
    port,
    ...(flags.taskModule ? { taskModule: flags.taskModule } : {}),
  });
  process.stderr.write(`symgen review: ${server.url} (127.0.0.1 only; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  process.stderr.write('symgen review: stopped; dataset.jsonl and rejected.jsonl are up to date\n');
  return 0;
}

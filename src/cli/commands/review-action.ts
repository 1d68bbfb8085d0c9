import { startReviewServer } from '../../review/index.js';
import { onStop } from '../stop.js';
import { integerFlag } from './flags.js';

/**
 * Run `symgen review` until Ctrl-C; returns the exit code. Ctrl-C is how a review ends, so the first
 * signal is a clean stop (exit 0, every decision already saved); a second one ends at once.
 */
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
  let removeStop = () => {};
  await new Promise<void>((resolve) => {
    removeStop = onStop(() => resolve());
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  removeStop();
  await server.close();
  process.stderr.write('symgen review: stopped; dataset.jsonl and rejected.jsonl are up to date\n');
  return 0;
}

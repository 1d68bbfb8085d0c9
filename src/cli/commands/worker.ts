import type { CommandDefinition } from './index.js';

/** `symgen worker`: serve a coordinator's jobs (verification chunks, model calls) from a Redis queue. */
export const defineWorker: CommandDefinition = (program, setExitCode) => {
  program
    .command('worker')
    .description(
      'Take jobs from a Redis queue (BullMQ) until stopped: chunks of candidate files to verify and model calls, for `symgen verify|generate --queue`.',
    )
    .requiredOption('--queue <url>', 'the Redis server of the queue: redis://HOST:PORT')
    .option('--concurrency <n>', 'verification jobs at once', '1')
    .option('--llm-concurrency <n>', 'model calls at once on this worker', '8')
    .option('--db <path>', "this machine's copy of the coordinator's --db (checked by SHA-256)")
    .option('--fixture <dir>', "this machine's copy of the coordinator's --fixture (checked by SHA-256)")
    .option(
      '--task-module <file>',
      "this machine's copy of the coordinator's task module (checked by SHA-256)",
    )
    .option('--workers <n>', 'verify threads or executor processes per job')
    .option('--lock-ms <ms>', "a dead worker's job runs again elsewhere after about this long", '30000')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { runWorkerCommand } = await import('./worker-action.js');
      setExitCode(await runWorkerCommand(flags));
    });
};

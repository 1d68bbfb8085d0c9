import type { CommandDefinition } from './index.js';

/** `symgen review`: a local web app to accept, reject or edit a run's examples. */
export const defineReview: CommandDefinition = (program, setExitCode) => {
  program
    .command('review')
    .description(
      'Review a run in the browser: a queue of examples, lowest confidence first; accept, reject with a reason, or edit and re-execute. Decisions go to run.sqlite, dataset.jsonl and rejected.jsonl.',
    )
    .argument('<run-dir>', 'run directory written by symgen generate (with run.sqlite)')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
    .option('--task-module <file>', "the run's user-defined task module, when it is not in the run's config")
    .action(async (runDirectory: string, flags: Record<string, string | undefined>) => {
      const { runReview } = await import('./review-action.js');
      setExitCode(await runReview(runDirectory, flags));
    });
};

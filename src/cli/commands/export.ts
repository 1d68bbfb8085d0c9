import type { CommandDefinition } from './index.js';

/** `symgen export`: a run's dataset as Parquet, chat-format JSONL, JSONL, preference pairs or a Hugging Face folder. */
export const defineExport: CommandDefinition = (program, setExitCode) => {
  program
    .command('export')
    .description(
      'Export a run directory (or a dataset JSONL file) as Parquet, chat-format JSONL, JSONL, DPO preference pairs or a Hugging Face dataset folder.',
    )
    .argument('<run>', 'run directory written by symgen generate, or a dataset .jsonl file')
    .requiredOption(
      '--format <format>',
      'parquet, chat ({"messages": [system, user, assistant]}), jsonl, dpo ({prompt, chosen, rejected} with both results) or hf (folder: data/*.parquet + README.md card)',
    )
    .requiredOption('--out <path>', 'output file (a folder for hf), written whole or not at all')
    .option('--task <task>', "task of the examples (default: the run's task)")
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option('--db <path>', "sql: databases for the chat format's schema (default: the run's knowledge.db)")
    .option('--rows <k>', 'sql: example rows per table in the chat user message', '0')
    .option('--pairs <n>', 'dpo: most pairs per accepted example (one per losing program)', '1')
    .option('--license <id>', 'hf: licence id in the dataset card (apache-2.0, cc-by-4.0, ...)', 'other')
    .option('--shard-rows <n>', 'hf: most rows per Parquet shard', '100000')
    .action(async (run: string, flags: Record<string, string | undefined>) => {
      const { runExportCommand } = await import('./export-action.js');
      setExitCode(await runExportCommand(run, flags));
    });
};

import type { CommandDefinition } from './index.js';

/** `symgen export`: a run's dataset as Parquet, chat-format JSONL or plain JSONL. */
export const defineExport: CommandDefinition = (program, setExitCode) => {
  program
    .command('export')
    .description('Export a run directory (or a dataset JSONL file) as Parquet, chat-format JSONL or JSONL.')
    .argument('<run>', 'run directory written by symgen generate, or a dataset .jsonl file')
    .requiredOption('--format <format>', 'parquet, chat ({"messages": [system, user, assistant]}) or jsonl')
    .requiredOption('--out <file>', 'output file, written whole or not at all')
    .option('--task <task>', "task of the examples (default: the run's task)")
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option('--db <path>', "sql: databases for the chat format's schema (default: the run's knowledge.db)")
    .option('--rows <k>', 'sql: example rows per table in the chat user message', '0')
    .action(async (run: string, flags: Record<string, string | undefined>) => {
      const { runExportCommand } = await import('./export-action.js');
      setExitCode(await runExportCommand(run, flags));
    });
};

import type { CommandDefinition } from './index.js';

/** `symgen evaluate`: execution accuracy of predictions against gold. */
export const defineEvaluate: CommandDefinition = (program, setExitCode) => {
  program
    .command('evaluate')
    .description('Execution accuracy of predicted programs against gold, by hardness and by database.')
    .option('--task <task>', 'task of the programs: sql, python, math, bash, top, qdmr')
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option(
      '--db <path>',
      'sql: a SQLite file, or a folder of <db_id>.sqlite or <db_id>/<db_id>.sqlite files',
    )
    .requiredOption(
      '--gold <file>',
      'gold programs: JSONL with query/program (+ id, db_id), or one SQL a line',
    )
    .requiredOption('--pred <file>', 'predicted programs, same formats; paired by id, else line by line')
    .option('--json <file>', 'also write the metrics (and every example) as JSON to this file')
    .option('--format <format>', 'what to print on stdout: table or json', 'table')
    .option('--timeout-ms <ms>', 'time budget of one statement or candidate', '5000')
    .option('--workers <n>', 'sandboxed workers (python, math, bash --execute)')
    .option('--execute', 'bash: compare by running in the sandbox instead of by syntax tree', false)
    .option('--fixture <dir>', 'bash --execute: a small directory copied into each working directory')
    .option('--only-predicted', 'score only gold lines that have a prediction (by id)', false)
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { runEvaluate } = await import('./evaluate-action.js');
      setExitCode(await runEvaluate(flags));
    });
};

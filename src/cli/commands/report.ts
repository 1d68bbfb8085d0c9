import type { CommandDefinition } from './index.js';

/** `symgen report`: one static HTML page about a run directory. */
export const defineReport: CommandDefinition = (program, setExitCode) => {
  program
    .command('report')
    .description(
      "Write a static HTML report of a run directory (acceptance funnel, confidence, example pairs with result previews, coverage against a reference and the run's database, diversity, tokens and cost, links to the data files), readable offline.",
    )
    .argument('<run-dir>', 'run directory with dataset.jsonl (and rejected.jsonl, stats.json when present)')
    .option('--out <file>', 'where to write the page (default: <run-dir>/report.html)')
    .option('--task <task>', "task of the programs (default: the run's task)")
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option('--reference <file>', 'reference dataset for hardness, clause and diversity comparisons')
    .option(
      '--db <path>',
      'sql: SQLite file or folder, for table and column coverage (default: the database the run was generated from)',
    )
    .option('--no-embeddings', 'skip the embedding cosine (loads an offline model)')
    .action(async (runDirectory: string, flags: Record<string, string | boolean | undefined>) => {
      const { writeReport } = await import('../../report/index.js');
      const { checkOutputFile } = await import('../../io/index.js');
      if (typeof flags.out === 'string') checkOutputFile(flags.out, '--out');
      const task =
        flags.task === undefined && flags.taskModule === undefined
          ? undefined
          : await (await import('./task-flags.js')).taskFromFlags(flags);
      const out = await writeReport(runDirectory, {
        ...(task ? { task } : {}),
        ...(typeof flags.out === 'string' ? { out: flags.out } : {}),
        ...(typeof flags.reference === 'string' ? { reference: flags.reference } : {}),
        ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
        embeddings: flags.embeddings !== false,
      });
      process.stderr.write(`report written to ${out}\n`);
      setExitCode(0);
    });
};

import type { CommandDefinition } from './index.js';

/** `symgen sample`: offline programs-first generation from databases alone. */
export const defineSample: CommandDefinition = (program, setExitCode) => {
  program
    .command('sample')
    .description(
      'Sample executable programs and write a question for each (programs-first, no LLM needed): sql from a database, math programs of thought, or a task module with a sampler.',
    )
    .option('--task <task>', 'task of the programs (sql, math)')
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task with a sampler')
    .option(
      '--db <path>',
      'sql: a SQLite file, or a folder of <db_id>.sqlite or <db_id>/<db_id>.sqlite files (Spider layout)',
    )
    .requiredOption('--count <n>', 'programs per source (database)')
    .requiredOption('--out <file>', 'output JSONL, written whole or not at all')
    .option('--seed <n>', 'random seed: the same seed gives the same programs', '0')
    .option(
      '--mix <shares>',
      'sql: hardness mix, e.g. easy=0.25,medium=0.4,hard=0.2,extra=0.15 (default: Spider dev)',
    )
    .option('--databases <ids>', 'with a folder: only these comma-separated database ids')
    .option('--allow-degenerate', 'keep empty results and filters that keep every row', false)
    .option('--max-rows <n>', 'drop programs returning more rows than this', '10000')
    .option(
      '--paraphrase',
      'paraphrase each question with a model and keep pairs that pass a cycle check',
      false,
    )
    .option('--provider <kind>', 'with --paraphrase: openai-compatible or anthropic', 'openai-compatible')
    .option('--base-url <url>', 'with --paraphrase: API root (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL)')
    .option('--model <name>', 'with --paraphrase: model name (default: SYMGEN_MODEL)')
    .option('--parses <n>', 'with --paraphrase: parses back to SQL per paraphrase', '5')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { runSample } = await import('./sample-action.js');
      setExitCode(await runSample(flags));
    });
};

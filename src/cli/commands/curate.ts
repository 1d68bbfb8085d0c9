import type { CommandDefinition } from './index.js';

/** `symgen curate`: dedup, filter, re-weight, relabel and queue a dataset for review. */
export const defineCurate: CommandDefinition = (program, setExitCode) => {
  program
    .command('curate')
    .description(
      'Curate a dataset: exact, program and near-duplicate (MinHash-LSH) dedup, heuristic filters, weights, relabelling by an auxiliary model, and a review queue.',
    )
    .requiredOption(
      '--in <file>',
      'dataset JSONL: question + program (or query/sql), optional confidence, db_id',
    )
    .requiredOption('--out <file>', 'curated JSONL (each line gets a weight), written whole or not at all')
    .option(
      '--task <task>',
      'task of the programs, whose normal form also compares programs: sql (default), python, math, bash, top, qdmr',
    )
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option('--dropped <file>', 'dropped examples with their reason (default: <out>.dropped.jsonl)')
    .option('--review <file>', 'review queue, lowest confidence first (default: <out>.review.jsonl)')
    .option('--db <path>', 'sql: SQLite file or folder: enables result-size filters and checks corrections')
    .option('--config <file>', 'JSON curate options (filters, dedup, weight, relabel, reviewBelow)')
    .option('--min-words <n>', 'fewest words in a question')
    .option('--max-words <n>', 'most words in a question')
    .option('--language <lang>', 'en (Latin script, not code) or any')
    .option('--min-confidence <f>', 'drop examples below this confidence')
    .option('--min-result-rows <n>', 'fewest result rows (needs --db); 1 drops empty results')
    .option('--max-result-rows <n>', 'most result rows (needs --db)')
    .option('--max-per-program <n>', 'keep at most n examples per normalised program (0: no limit)')
    .option('--near-threshold <f>', 'word-shingle Jaccard similarity of near-duplicate questions')
    .option('--no-near-dedup', 'skip near-duplicate detection')
    .option(
      '--target-mix <file>',
      'JSONL (the demonstrations, or any dataset) whose mix of hardness and clauses the weights aim at',
    )
    .option(
      '--decontaminate <files...>',
      "benchmark test JSONL files: drop examples whose question shares a 13-gram with an item's (shorter texts compared whole) or whose program equals one in the task's normal form",
    )
    .option('--decontaminate-ngram <n>', 'words per n-gram of the question overlap (default 13)')
    .option(
      '--decontaminate-min-words <n>',
      'texts shorter than an n-gram are compared whole down to this many words (default 8)',
    )
    .option('--review-below <f>', 'kept examples below this confidence go to the review queue')
    .option('--relabel-below <f>', 'examples below this confidence are sent to the auxiliary model')
    .option('--relabel-model <name>', 'auxiliary model that checks or corrects low-confidence examples')
    .option('--relabel-base-url <url>', 'its endpoint (OpenAI-compatible by default)')
    .option('--relabel-provider <kind>', 'openai-compatible or anthropic', 'openai-compatible')
    .option('--relabel-config <file>', 'JSON llm config of the auxiliary model (instead of the flags above)')
    .action(async (flags: Record<string, string | boolean | string[] | undefined>) => {
      const { runCurate } = await import('./curate-action.js');
      setExitCode(await runCurate(flags));
    });
};

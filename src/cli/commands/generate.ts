import type { CommandDefinition } from './index.js';

/** `symgen generate`: generate verified examples (SymGen with an LLM, programs-first without). */
export const defineGenerate: CommandDefinition = (program, setExitCode) => {
  program
    .command('generate')
    .description(
      'Generate verified examples for any task: questions then candidate programs from an LLM, kept by execution agreement; with no LLM configured, the offline generator (sql: a grammar induced from --demos, else programs-first; math: programs-first). Writes a resumable run directory.',
    )
    .argument('[config]', 'YAML config file (see schema/symgen-config.schema.json); flags override it')
    .option('--task <task>', 'task: sql, python, math, bash, top, qdmr (default: sql)')
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option(
      '--db <path>',
      'sql: a SQLite file, or a folder of <db_id>.sqlite or <db_id>/<db_id>.sqlite files',
    )
    .option('--count <n>', 'questions to generate over all sources (databases)')
    .option('--out <dir>', 'run directory (dataset.jsonl, rejected.jsonl, stats.json, run.sqlite)')
    .option('--resume', 'continue the run in --out (after a kill or an error)', false)
    .option('--seed <n>', 'seed of every sampler')
    .option('--model <id>', 'model id of an OpenAI-compatible endpoint (sets llm.provider)')
    .option('--base-url <url>', 'base URL of the endpoint (e.g. http://127.0.0.1:8080/v1)')
    .option('--provider <kind>', 'openai-compatible (default) or anthropic')
    .option('--api-key-env <name>', 'environment variable holding the API key')
    .option(
      '--demos <file>',
      "demonstrations JSONL in the benchmark's own format (Spider question/query, MBPP text/code/test_list, NL2Bash nl/bash, ...)",
    )
    .option('--demo-selection <mode>', 'random, bm25 or embedding')
    .option('--min-votes <k|f>', 'votes the winning group needs: a count (5) or a fraction (0.25)')
    .option('--questions-per-prompt <n>', 'gen_q samples per prompt')
    .option('--candidates <n>', 'gen_a candidate programs per question')
    .option('--concurrency <n>', 'questions whose candidates are generated and verified at once')
    .option('--execute', 'bash: run candidates in the sandbox and agree on output and files', false)
    .option(
      '--fixture <dir>',
      "bash --execute: a small directory copied into each candidate's working directory",
    )
    .option(
      '--adaptive',
      'request candidates in rounds (verify.adaptiveFirst, then verify.adaptiveStep, or more when a priced prompt costs more than that many samples: verify.adaptiveRounds) and stop a question once settled; --candidates is the cap',
    )
    .option('--max-cost <usd>', 'stop before a request that could take the run past this many US dollars')
    .option('--max-tokens <n>', 'stop before a request that could take the run past this many tokens')
    .option(
      '--checks',
      'sanity checks on each result group (limit-tie, duplicate-rows, count-not-distinct): a flawless group wins, or the question is rejected',
    )
    .option(
      '--test-suite <k>',
      'verify on the database and K neighbour databases (kept in the run directory), grouping by every result',
    )
    .option('--format <list>', 'extra exports written at the end: parquet, chat (comma-separated)')
    .option(
      '--reference <file>',
      'a JSONL dataset whose mix of hardness, clauses and tables the conditions aim at (default: the demonstrations)',
    )
    .option('--no-conditions', 'no condition in the prompts (SymGen: demonstrations only)')
    .option(
      '--offline-method <method>',
      'without a model: grammar (expand a grammar induced from --demos; the default) or programs-first',
    )
    .option(
      '--offline-beyond <share>',
      "without a model, with --demos: the share of pairs from symgen's built-in question shapes on the schema, beyond the demonstrations' (0 to 1; default 0.7)",
    )
    .option('--offline', 'ignore the llm section and run the offline programs-first generator', false)
    .option(
      '--queue <url>',
      'send model calls to `symgen worker` processes through a Redis queue (redis://HOST:PORT)',
    )
    .action(async (config: string | undefined, flags: Record<string, string | boolean | undefined>) => {
      const { runGenerateCommand } = await import('./generate-action.js');
      setExitCode(await runGenerateCommand(config, flags));
    });
};

import type { CommandDefinition } from './index.js';

/** `symgen generate`: generate verified examples (SymGen with an LLM, programs-first without). */
export const defineGenerate: CommandDefinition = (program, setExitCode) => {
  program
    .command('generate')
    .description(
      'Generate verified examples: questions then candidate programs from an LLM, kept by execution agreement; with no LLM configured, the offline generator (a grammar induced from --demos, else programs-first). Writes a resumable run directory.',
    )
    .argument('[config]', 'YAML config file (see schema/symgen-config.schema.json); flags override it')
    .option('--task <task>', 'task (sql)')
    .option('--db <path>', 'a SQLite file, or a folder of <db_id>.sqlite or <db_id>/<db_id>.sqlite files')
    .option('--count <n>', 'questions to generate over all databases')
    .option('--out <dir>', 'run directory (dataset.jsonl, rejected.jsonl, stats.json, run.sqlite)')
    .option('--resume', 'continue the run in --out (after a kill or an error)', false)
    .option('--seed <n>', 'seed of every sampler')
    .option('--model <id>', 'model id of an OpenAI-compatible endpoint (sets llm.provider)')
    .option('--base-url <url>', 'base URL of the endpoint (e.g. http://127.0.0.1:8080/v1)')
    .option('--provider <kind>', 'openai-compatible (default) or anthropic')
    .option('--api-key-env <name>', 'environment variable holding the API key')
    .option('--demos <file>', 'demonstrations JSONL ({"question", "query", "db_id"?})')
    .option('--demo-selection <mode>', 'random, bm25 or embedding')
    .option('--min-votes <k|f>', 'votes the winning group needs: a count (5) or a fraction (0.25)')
    .option('--questions-per-prompt <n>', 'gen_q samples per prompt')
    .option('--candidates <n>', 'gen_a candidate programs per question')
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

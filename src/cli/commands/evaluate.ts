import { Option } from 'commander';
import type { CommandDefinition } from './index.js';

/** `symgen evaluate`: execution accuracy of predictions against gold, or direct metrics of a dataset. */
export const defineEvaluate: CommandDefinition = (program, setExitCode) => {
  program
    .command('evaluate')
    .description(
      'Score predictions against gold by execution (from a file, a model, or the built-in task model trained on a dataset), or measure a dataset (faithfulness, diversity) beside a reference.',
    )
    .option('--task <task>', 'task of the programs: sql (default), python, math, bash, top, qdmr')
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option(
      '--db <path>',
      'sql: a SQLite file, or a folder of <db_id>.sqlite or <db_id>/<db_id>.sqlite files',
    )
    .option(
      '--gold <file>',
      'gold programs: JSONL with query/program (+ id, db_id, question), or one SQL a line',
    )
    .option('--pred <file>', 'predicted programs, same formats; paired by id, else line by line')
    .option(
      '--train <file>',
      'train the built-in task model on this dataset (question + program lines) and score it on --gold, any task',
    )
    .option('--epochs <n>', 'training epochs of the built-in model', '40')
    .option('--max-train-seconds <s>', 'stop training after this many seconds', '900')
    .option('--seed <n>', 'seed of the built-in model (initial weights, batch order, dropout masks)', '1')
    .option('--model <name>', "score a model on --gold, zero-shot in the task's gen_a prompt")
    .option('--base-url <url>', 'its endpoint (OpenAI-compatible by default)')
    .option('--provider <kind>', 'openai-compatible or anthropic', 'openai-compatible')
    // the spellings of earlier versions, kept working
    .addOption(new Option('--model-base-url <url>').hideHelp())
    .addOption(new Option('--model-provider <kind>').hideHelp())
    .option('--model-config <file>', 'JSON llm config of the model (instead of the flags above)')
    .option('--pred-out <file>', 'write the predictions of --train or --model here (JSONL)')
    .option(
      '--dataset <file>',
      'measure a dataset of any task: faithfulness (validity by execution; sql: with --db), text and program diversity',
    )
    .option('--rejected <file>', 'rejected lines of the same run (for the status distribution)')
    .option('--reference <file>', 'a reference dataset measured beside it (e.g. the human training set)')
    .option('--judge-model <name>', "LLM-as-judge on a sample of the dataset (the task's judge prompt)")
    .option('--judge-base-url <url>', 'its endpoint (OpenAI-compatible by default)')
    .option('--judge-provider <kind>', 'openai-compatible or anthropic', 'openai-compatible')
    .option('--judge-config <file>', 'JSON llm config of the judge')
    .option('--judge-sample <n>', 'examples the judge sees', '50')
    .option('--no-embeddings', 'skip the embedding cosine (loads an offline model)')
    .option('--json <file>', 'also write the metrics (and every example) as JSON to this file')
    .option('--format <format>', 'what to print on stdout: table or json', 'table')
    .option('--timeout-ms <ms>', 'time budget of one statement or candidate', '5000')
    .option('--workers <n>', 'sandboxed workers (python, math, bash --execute)')
    .option('--execute', 'bash: compare by running in the sandbox instead of by syntax tree', false)
    .option('--fixture <dir>', 'bash --execute: a small directory copied into each working directory')
    .option('--only-predicted', 'score only gold lines that have a prediction (by id)', false)
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { runEvaluate } = await import('./evaluate-action.js');
      setExitCode(
        await runEvaluate({
          ...flags,
          baseUrl: flags.baseUrl ?? flags.modelBaseUrl,
          provider: flags.modelProvider ?? flags.provider,
        }),
      );
    });
};

import type { CommandDefinition } from './index.js';

/** `symgen models check`: does the configured endpoint answer, with which model, with logprobs? */
export const defineModels: CommandDefinition = (program, setExitCode) => {
  const models = program.command('models').description('Inspect the configured model endpoint.');
  models
    .command('check')
    .description(
      'Send one tiny request: does the endpoint answer, with which model, does it return log-probabilities?',
    )
    .option('--provider <kind>', 'openai-compatible or anthropic', 'openai-compatible')
    .option('--base-url <url>', 'API root (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL, else the vendor)')
    .option('--model <name>', 'model name (default: SYMGEN_MODEL, else the first model the server lists)')
    .option('--api <api>', 'chat or completions (OpenAI-compatible only)', 'chat')
    .option('--timeout-ms <ms>', 'give up after this long', '30000')
    .option('--json', 'print the report as JSON', false)
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { runModelsCheck } = await import('./models-action.js');
      setExitCode(await runModelsCheck(flags));
    });
};

import { Command, CommanderError } from 'commander';
import { ConfigError, SymgenError } from '../errors/index.js';
import { SYMGEN_VERSION } from '../version.js';
import { commands } from './commands/index.js';

/**
 * Runs the `symgen` command line with the given arguments and returns the exit code.
 * Expected failures (bad input, missing database, bad config) print one line on stderr and return
 * a non-zero code; anything else is a bug and prints its stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('symgen')
    .description('Generate, verify, curate and evaluate data for symbolic-language tasks.')
    .version(process.env.npm_package_version ?? SYMGEN_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  let exitCode = 0;
  for (const define of commands) {
    define(program, (code) => {
      exitCode = code;
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed its message (or the help text, which exits 0)
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    // Every issue, one line each, so one run shows all there is to fix.
    for (const line of error.describeIssues()) process.stderr.write(`symgen: ${line}\n`);
    return 2;
  }
  if (error instanceof SymgenError) {
    process.stderr.write(`symgen: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `symgen: unexpected error (this is a bug, please report it)\n${String((error as Error)?.stack ?? error)}\n`,
  );
  return 1;
}

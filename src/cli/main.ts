import { Command, CommanderError } from 'commander';
import { ConfigError, SymgenError } from '../errors/index.js';
import { describeWriteFailure } from '../io/output-path.js';
import { SYMGEN_VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { installStopSignals } from './stop.js';

/** Commander outcomes that are not errors (help or version asked for). */
const SUCCESS_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs the `symgen` command line with the given arguments and returns the exit code: 0 on success;
 * 2 for every expected failure (bad flags, bad input, missing database, bad config, an unusable
 * output path, a full disk, a run stopped by SIGINT or SIGTERM), with one line on stderr saying
 * what, where and how to fix it; 1 for a bug, with its stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('symgen')
    .description('Generate, verify, curate and evaluate data for symbolic-language tasks.')
    .version(process.env.npm_package_version ?? SYMGEN_VERSION)
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      // commander's own errors, in symgen's words: one line, with where to read more
      outputError: (text, write) => write(`${symgenLine(name, text)}\n`),
    });
  let exitCode = 0;
  for (const define of commands) {
    define(program, (code) => {
      exitCode = code;
    });
  }
  for (const command of program.commands) command.exitOverride();
  const name = commandName(
    argv,
    program.commands.map((command) => command.name()),
  );
  if (argv.length === 0) {
    process.stderr.write(
      `symgen: no command given; one of ${program.commands.map((command) => command.name()).join(', ')} (symgen --help shows what each does)\n`,
    );
    return 2;
  }
  const uninstall = installStopSignals(name);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, name);
  } finally {
    uninstall();
  }
}

/** The subcommand named in `argv` (empty when none). */
function commandName(argv: readonly string[], known: readonly string[]): string {
  const first = argv.find((arg) => !arg.startsWith('-'));
  return first !== undefined && known.includes(first) ? first : '';
}

function symgenLine(command: string, text: string): string {
  const message = text
    .trim()
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ');
  const help = command && command !== 'help' ? `symgen ${command} --help` : 'symgen --help';
  return `symgen${command ? ` ${command}` : ''}: ${message} (${help} lists the options)`;
}

function reportError(error: unknown, command: string): number {
  if (error instanceof CommanderError) {
    // commander already printed its one line (or the help text, or the version)
    return SUCCESS_CODES.has(error.code) ? 0 : 2;
  }
  if (error instanceof ConfigError) {
    // every issue, one line each, so one run shows all there is to fix
    for (const line of error.describeIssues()) process.stderr.write(`${prefixed(command, line)}\n`);
    return 2;
  }
  if (error instanceof SymgenError) {
    process.stderr.write(`${prefixed(command, error.message)}\n`);
    return 2;
  }
  const why = describeWriteFailure(error);
  if (why !== undefined) {
    // a system error while writing (a full disk, a read-only folder): the user's to fix, not a bug
    const path = (error as { path?: unknown }).path;
    process.stderr.write(
      `${prefixed(command, `cannot write${typeof path === 'string' ? ` ${path}` : ''}: ${why}`)}\n`,
    );
    return 2;
  }
  process.stderr.write(
    `symgen: unexpected error (this is a bug, please report it)\n${String((error as Error)?.stack ?? error)}\n`,
  );
  return 1;
}

/** `symgen <command>: message`, once (a message that already names symgen keeps its own prefix). */
function prefixed(command: string, message: string): string {
  if (/^symgen\b/.test(message)) return message;
  return `symgen${command ? ` ${command}` : ''}: ${message}`;
}

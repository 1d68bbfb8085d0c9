/**
 * The Bash task (NL2Bash, Lin et al. 2018): a request in words to a Bash one-liner.
 * - Input: model text holding a command (a fenced shell block, a `$ ` line, inline code, a bare line).
 * - Output: the command, parsed by mvdan/sh (the shfmt parser); with `execute`, also run in the
 *   bubblewrap sandbox inside a private copy of a small fixture directory.
 * - Equal: by default, equal normalised syntax trees (`bashTreeKey`: quoting that changes nothing
 *   removed, leading flags of common commands sorted, layout ignored); with `execute`, equal stdout
 *   and equal files left behind (paths, types, modes, content hashes).
 * - Evaluate: exact match of the normalised tree against the gold command (and of the printed form).
 */
import type { TaskPlugin } from '../spec.js';
import { type BashExecutorOptions, createBashExecutor } from './bash-executor.js';
import { bashCommands, bashNodeCounts } from './bash-tree-key.js';
import { extractBash } from './extract-bash.js';
import { bashGeneration } from './generation.js';
import { parseShell, printShell } from './mvdan-sh.js';

export { type BashExecutorOptions, checkBash, createBashExecutor } from './bash-executor.js';
export { bashCommands, bashNodeCounts, bashTreeKey, FLAG_SORTED_COMMANDS } from './bash-tree-key.js';
export { extractBash } from './extract-bash.js';
export { listFixture } from './generation.js';
export { parseShell, printShell } from './mvdan-sh.js';

/** shfmt's layout of a command; text that does not parse has its whitespace collapsed. */
export function normaliseBash(program: string): string {
  try {
    return printShell(parseShell(program));
  } catch {
    // Not Bash: the executor reports why; dedup still works on the collapsed text.
    return program.replace(/\s+/g, ' ').trim();
  }
}

/** The Bash task plugin. */
export const bashTask: TaskPlugin<BashExecutorOptions> = {
  id: 'bash',
  description:
    'Bash one-liners for requests in words (NL2Bash), by syntax tree or by running them in the sandbox',
  extract: extractBash,
  normalise: normaliseBash,
  createExecutor: (options) => createBashExecutor(options),
  features(program) {
    try {
      const tree = parseShell(program);
      const counts = bashNodeCounts(tree);
      return {
        valid: true,
        commands: bashCommands(tree),
        pipes: counts.BinaryCmd ?? 0,
        substitutions: (counts.CmdSubst ?? 0) + (counts.ProcSubst ?? 0),
        redirects: counts.Redirect ?? 0,
      };
    } catch {
      return { valid: false };
    }
  },
  ...bashGeneration,
  reference(record) {
    const program = record.bash ?? record.program;
    return typeof program === 'string' ? { program } : null;
  },
};

import type { CommandDefinition } from './index.js';

/** `symgen verify`: the agreement verifier alone, on candidates you bring. */
export const defineVerify: CommandDefinition = (program, setExitCode) => {
  program
    .command('verify')
    .description(
      'Execute candidate programs, group them by result and keep the majority (agreement-based verifier).',
    )
    .option('--task <task>', 'task of the candidates: sql, python, math, bash, top, qdmr')
    .option('--task-module <file>', 'a JavaScript module exporting a user-defined task (docs/tasks.md)')
    .option(
      '--db <path>',
      'sql: a SQLite file, or a folder of <db_id>.sqlite or <db_id>/<db_id>.sqlite files',
    )
    .requiredOption(
      '--in <file>',
      'input JSONL: {"id", "question", "db_id"?, "candidates": [{"program", "logprob"?}]}',
    )
    .requiredOption('--out <file>', 'output JSONL, written whole or not at all')
    .option(
      '--min-votes <k|f>',
      'votes the winning group needs: a count (5) or a fraction of the votes (0.25)',
      '1',
    )
    .option(
      '--count <mode>',
      "samples: every sample votes; distinct: SymGen's filter (adjacent duplicates merged, one executable program accepted unvoted)",
      'samples',
    )
    .option('--tie <mode>', 'tied groups: reject, or logprob (highest mean log-probability)', 'logprob')
    .option('--empty-result <mode>', 'a winning empty result: keep or reject', 'keep')
    .option(
      '--compare <mode>',
      'result comparison: multiset, strict (column order matters) or set (SymGen)',
      'multiset',
    )
    .option(
      '--normalise <mode>',
      'dedup form: text (lexical, fast) or parser (also the real SQL parser canonical form)',
      'text',
    )
    .option('--timeout-ms <ms>', 'time budget of one statement', '5000')
    .option('--max-rows <n>', 'most rows a result may have', '100000')
    .option(
      '--workers <n>',
      'SQL: verify threads, this one included (default: cores; with 2, the second runs the SQL), or executor processes (cores - 1)',
    )
    .option(
      '--executor <kind>',
      'SQL: threads (guarded in-process connections; default when the guard extension is built) or processes',
    )
    .option('--execute', 'bash: run candidates in the sandbox and agree on output and files', false)
    .option(
      '--fixture <dir>',
      "bash --execute: a small directory copied into each candidate's working directory",
    )
    .option(
      '--adaptive',
      'read candidates in rounds and stop once the outcome is settled (exact bound or Beta posterior; total = candidates read)',
      false,
    )
    .option('--adaptive-first <n>', 'adaptive: candidates read before the first check', '4')
    .option('--adaptive-step <n>', 'adaptive: candidates read between checks', '2')
    .option(
      '--adaptive-confidence <p>',
      'adaptive: posterior probability that the full read would decide the same',
      '0.95',
    )
    .option(
      '--test-suite <k>',
      'sql: also run candidates on K neighbour databases (same schema, values next to their literals) and group by every result',
      '0',
    )
    .option(
      '--test-suite-dir <dir>',
      'where neighbour databases are kept (default: ~/.cache/symgen/test-suite)',
    )
    .option(
      '--checks',
      'sanity checks on each result group (sql: limit-tie, duplicate-rows, count-not-distinct): a flawless group wins, or the question is rejected with the flaw',
      false,
    )
    .option('--keep-candidates', 'write every candidate with its status and result key', false)
    .option(
      '--queue <url>',
      'verify on `symgen worker` processes through a Redis queue (redis://HOST:PORT) instead of here',
    )
    .option('--chunk-lines <n>', 'with --queue: input lines per job', '500')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { runVerify } = await import('./verify-action.js');
      setExitCode(await runVerify(flags));
    });
};

import { ConfigError } from '../../errors/index.js';
import { countLines } from '../../io/index.js';
import type { VerifySummary } from '../../verify/summary.js';
import { Progress } from '../progress.js';
import { integerFlag } from './flags.js';
import { taskFromFlags, taskOptionsFromFlags } from './task-flags.js';

/**
 * Run `symgen verify` with parsed flags; returns the exit code. The same code for every task: the
 * task (`--task`, `--task-module`) takes its options from the shared flags (`--db` is the SQL
 * task's), and `verifyTaskFile` runs the task's own verifier when it has one (SQL's worker threads).
 */
export async function runVerify(flags: Record<string, string | boolean | undefined>): Promise<number> {
  const task = await taskFromFlags(flags);
  const [{ parseMinVotes }, { verifyTaskFile }] = await Promise.all([
    import('../../verify/options.js'),
    import('../../verify/verify-task-file.js'),
  ]);
  const input = String(flags.in);
  const progress = new Progress('verify', undefined);
  if (process.stderr.isTTY)
    countLines(input).then(
      (total) => progress.setTotal(total),
      () => undefined,
    );
  const summary: VerifySummary = await verifyTaskFile({
    task,
    taskOptions: taskOptionsFromFlags(flags) as never,
    input,
    output: String(flags.out),
    minVotes: parseMinVotes(String(flags.minVotes)),
    count: enumFlag('--count', flags.count, ['samples', 'distinct']),
    tie: enumFlag('--tie', flags.tie, ['reject', 'logprob']),
    emptyResult: enumFlag('--empty-result', flags.emptyResult, ['keep', 'reject']),
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
    keepCandidates: flags.keepCandidates === true,
    compare: enumFlag('--compare', flags.compare, ['multiset', 'strict', 'set']),
    normalise: enumFlag('--normalise', flags.normalise, ['text', 'parser']),
    maxRows: integerFlag('--max-rows', flags.maxRows),
    ...(flags.workers === undefined ? {} : { workers: integerFlag('--workers', flags.workers) }),
    ...(flags.executor === undefined
      ? {}
      : { executor: enumFlag('--executor', flags.executor, ['threads', 'processes']) }),
    // This thread has nothing else to do: a task's own verifier may verify on it too.
    ownsThread: true,
    onProgress: (running: VerifySummary) =>
      progress.update(
        running.examples,
        `accepted ${((running.accepted / running.examples) * 100).toFixed(0)}%`,
      ),
  });
  progress.end();
  const reasons = Object.entries(summary.reasons)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const seconds = summary.durationMs / 1000;
  process.stderr.write(
    `verified ${summary.examples} examples (${summary.candidates} candidates, ${summary.executed} executed) in ${seconds.toFixed(2)} s: ` +
      `${summary.accepted} accepted, ${summary.rejected} rejected${reasons ? ` (${reasons})` : ''} -> ${String(flags.out)}\n`,
  );
  return 0;
}

function enumFlag<const T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, [
    { path: '', message: `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}` },
  ]);
}

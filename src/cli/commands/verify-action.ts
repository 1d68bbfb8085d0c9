import { ConfigError } from '../../errors/index.js';
import { checkOutputFile, countLines } from '../../io/index.js';
import type { VerifySummary } from '../../verify/summary.js';
import { Progress } from '../progress.js';
import { integerFlag, requireContent } from './flags.js';
import { taskFromFlags, taskOptionsFromFlags } from './task-flags.js';

/**
 * Run `symgen verify` with parsed flags; returns the exit code. The same code for every task: the
 * task (`--task`, `--task-module`) takes its options from the shared flags (`--db` is the SQL
 * task's), and `verifyTaskFile` runs the task's own verifier when it has one (SQL's worker threads).
 */
export async function runVerify(flags: Record<string, string | boolean | undefined>): Promise<number> {
  checkOutputFile(String(flags.out), '--out');
  const task = await taskFromFlags(flags);
  const taskOptions = taskOptionsFromFlags(flags);
  const [{ parseMinVotes }, { verifyTaskFile }] = await Promise.all([
    import('../../verify/options.js'),
    import('../../verify/verify-task-file.js'),
  ]);
  const input = String(flags.in);
  const minVotes = parseMinVotes(String(flags.minVotes));
  requireContent(input, '--in', 'verify');
  const progress = new Progress('verify', undefined);
  if (process.stderr.isTTY)
    countLines(input).then(
      (total) => progress.setTotal(total),
      () => undefined,
    );
  const summary: VerifySummary =
    typeof flags.queue === 'string'
      ? await verifyOnQueue(flags, task, progress)
      : await verifyTaskFile({
          task,
          taskOptions: taskOptions as never,
          input,
          output: String(flags.out),
          minVotes,
          count: enumFlag('--count', flags.count, ['samples', 'distinct']),
          tie: enumFlag('--tie', flags.tie, ['reject', 'logprob']),
          emptyResult: enumFlag('--empty-result', flags.emptyResult, ['keep', 'reject']),
          timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
          keepCandidates: flags.keepCandidates === true,
          adaptive: flags.adaptive === true,
          checks: flags.checks === true,
          adaptiveFirst: integerFlag('--adaptive-first', flags.adaptiveFirst),
          adaptiveStep: integerFlag('--adaptive-step', flags.adaptiveStep),
          adaptiveConfidence: probabilityFlag('--adaptive-confidence', flags.adaptiveConfidence),
          testSuite: integerFlag('--test-suite', flags.testSuite),
          ...(typeof flags.testSuiteDir === 'string' ? { testSuiteDir: flags.testSuiteDir } : {}),
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
  if (minVotes >= 1 && summary.examples > 0 && minVotes > (summary.maxCandidates ?? 0)) {
    process.stderr.write(
      `symgen verify: warning: --min-votes ${minVotes} is more than any line's candidates (at most ${summary.maxCandidates ?? 0}): every line is rejected below-min-votes\n`,
    );
  }
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

/** `--queue`: the same verification, done by `symgen worker` processes; the same output bytes. */
async function verifyOnQueue(
  flags: Record<string, string | boolean | undefined>,
  task: { readonly id: string },
  progress: Progress,
): Promise<VerifySummary> {
  const [{ verifyOverQueue }, { parseMinVotes }] = await Promise.all([
    import('../../distributed/verify-over-queue.js'),
    import('../../verify/options.js'),
  ]);
  const { workers: _, ...taskOptions } = taskOptionsFromFlags(flags);
  return verifyOverQueue({
    queue: String(flags.queue),
    task: {
      id: task.id,
      ...(typeof flags.taskModule === 'string' ? { modulePath: flags.taskModule } : {}),
    },
    taskOptions,
    verify: {
      minVotes: parseMinVotes(String(flags.minVotes)),
      count: enumFlag('--count', flags.count, ['samples', 'distinct']),
      tie: enumFlag('--tie', flags.tie, ['reject', 'logprob']),
      emptyResult: enumFlag('--empty-result', flags.emptyResult, ['keep', 'reject']),
      timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
      keepCandidates: flags.keepCandidates === true,
      adaptive: flags.adaptive === true,
      checks: flags.checks === true,
      adaptiveFirst: integerFlag('--adaptive-first', flags.adaptiveFirst),
      adaptiveStep: integerFlag('--adaptive-step', flags.adaptiveStep),
      adaptiveConfidence: probabilityFlag('--adaptive-confidence', flags.adaptiveConfidence),
      testSuite: integerFlag('--test-suite', flags.testSuite),
      compare: enumFlag('--compare', flags.compare, ['multiset', 'strict', 'set']),
      normalise: enumFlag('--normalise', flags.normalise, ['text', 'parser']),
      maxRows: integerFlag('--max-rows', flags.maxRows),
    },
    input: String(flags.in),
    output: String(flags.out),
    chunkLines: integerFlag('--chunk-lines', flags.chunkLines),
    onProgress: (done, total) => {
      progress.setTotal(total);
      progress.update(done, 'chunks');
    },
  });
}

function probabilityFlag(name: string, value: unknown): number {
  const number = Number(value);
  if (typeof value === 'string' && value.trim() !== '' && number > 0 && number < 1) return number;
  throw new ConfigError(name, [
    { path: '', message: `expected a probability between 0 and 1, got ${JSON.stringify(value)}` },
  ]);
}

function enumFlag<const T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, [
    { path: '', message: `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}` },
  ]);
}

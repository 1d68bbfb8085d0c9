import { ConfigError } from '../../errors/index.js';
import { countLines } from '../../io/index.js';
import {
  chooseVerifyExecutor,
  defaultVerifyThreads,
  VerifyThreadPool,
} from '../../verify/threads/verify-threaded.js';
import type { VerifySummary } from '../../verify/verify-file.js';
import { Progress } from '../progress.js';
import { integerFlag, requireDb } from './flags.js';

/** Run `symgen verify` with parsed flags; returns the exit code. */
export async function runVerify(flags: Record<string, string | boolean | undefined>): Promise<number> {
  const sql = flags.task === 'sql' && flags.taskModule === undefined;
  const workers = flags.workers === undefined ? undefined : integerFlag('--workers', flags.workers);
  const executor =
    flags.executor === undefined
      ? undefined
      : enumFlag('--executor', flags.executor, ['threads', 'processes']);
  // SQL verify threads start first: each loads its modules while this thread loads the rest. This
  // thread is one of them: between its chunks it reads the input and writes the output.
  const threads =
    sql && chooseVerifyExecutor(executor, false) === 'threads'
      ? VerifyThreadPool.start(workers ?? defaultVerifyThreads(), { mainThread: true })
      : undefined;
  try {
    return await verifyWith(flags, threads, { sql, workers, executor });
  } catch (error) {
    await threads?.close();
    throw error;
  }
}

async function verifyWith(
  flags: Record<string, string | boolean | undefined>,
  threads: VerifyThreadPool | undefined,
  {
    sql,
    workers,
    executor,
  }: { sql: boolean; workers: number | undefined; executor: 'threads' | 'processes' | undefined },
): Promise<number> {
  const [{ parseMinVotes }, { verifySqlFile }] = await Promise.all([
    import('../../verify/options.js'),
    import('../../verify/verify-file.js'),
  ]);
  const input = String(flags.in);
  const progress = new Progress('verify', undefined);
  if (process.stderr.isTTY)
    countLines(input).then(
      (total) => progress.setTotal(total),
      () => undefined,
    );
  const shared = {
    input,
    output: String(flags.out),
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
    ...(typeof flags.testSuiteDir === 'string' ? { testSuiteDir: flags.testSuiteDir } : {}),
    onProgress: (running: VerifySummary) =>
      progress.update(
        running.examples,
        `accepted ${((running.accepted / running.examples) * 100).toFixed(0)}%`,
      ),
  };
  let summary: VerifySummary;
  if (sql) {
    summary = await verifySqlFile({
      ...shared,
      db: requireDb(flags),
      compare: enumFlag('--compare', flags.compare, ['multiset', 'strict', 'set']),
      normalise: enumFlag('--normalise', flags.normalise, ['text', 'parser']),
      maxRows: integerFlag('--max-rows', flags.maxRows),
      ...(workers === undefined ? {} : { workers }),
      ...(executor === undefined ? {} : { executor }),
      ...(threads ? { threads } : {}),
    });
  } else {
    const [{ taskFromFlags, taskOptionsFromFlags }, { verifyTaskFile }] = await Promise.all([
      import('./task-flags.js'),
      import('../../verify/verify-task-file.js'),
    ]);
    const task = await taskFromFlags(flags);
    summary = await verifyTaskFile({ ...shared, task, taskOptions: taskOptionsFromFlags(flags) as never });
  }
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

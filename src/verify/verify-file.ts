import { type JsonlLine, readJsonl, writeLinesAtomically } from '../io/index.js';
import { SYMGEN_VERSION } from '../version.js';
import type { VerifyOptions } from './options.js';
import { countCandidates, countRecord, emptyVerifySummary, type VerifySummary } from './summary.js';
import { type VerifiedRecord, type VerifyContext, verifyStream } from './verify-stream.js';

export { emptyVerifySummary, type VerifySummary };

/**
 * The settings written as `verification` on every output line, so a reader can re-run the check:
 * the vote settings shared by every task, then the task's own (`extra`), then the symgen version.
 */
export function verifierProvenance(
  task: string,
  options: VerifyOptions,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    task,
    minVotes: options.minVotes,
    count: options.count,
    tie: options.tie,
    emptyResult: options.emptyResult,
    // issue 17's settings, recorded only when on (older records stay as they were)
    ...(options.adaptive
      ? {
          adaptive: {
            first: options.adaptiveFirst,
            step: options.adaptiveStep,
            confidence: options.adaptiveConfidence,
          },
        }
      : {}),
    ...(options.testSuite > 0 ? { testSuite: options.testSuite } : {}),
    ...(options.checks ? { checks: true } : {}),
    ...extra,
    timeoutMs: options.timeoutMs,
    symgen: SYMGEN_VERSION,
  };
}

/**
 * Stream `input` through the verifier into `output` (whole or not at all), counting into `summary`
 * and calling `onRecord` after each example. Shared by every file verifier (the task-neutral stream and the SQL task's executor processes).
 */
export async function writeVerifiedFile(
  input: string,
  output: string,
  context: VerifyContext,
  summary: VerifySummary,
  onRecord?: (record: VerifiedRecord, summary: VerifySummary) => void,
): Promise<void> {
  async function* lines(): AsyncGenerator<string> {
    for await (const record of verifyStream(countingCandidates(readJsonl(input), summary), context)) {
      countRecord(summary, record);
      onRecord?.(record, summary);
      yield JSON.stringify(record);
    }
  }
  await writeLinesAtomically(output, lines());
}

/** Count the candidates of each line into `summary` as lines stream past. */
export async function* countingCandidates(
  lines: AsyncIterable<JsonlLine>,
  summary: VerifySummary,
): AsyncGenerator<JsonlLine> {
  for await (const line of lines) {
    countCandidates(summary, line.value);
    yield line;
  }
}

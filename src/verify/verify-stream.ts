import type { JsonlLine } from '../io/index.js';
import type { ExecutionEnvironment, ExecutionResult, Executor, Task } from '../tasks/spec.js';
import { checkVerifyInput, type VerifyInput } from './input.js';
import type { VerifyOptions } from './options.js';
import { type SampleOutcome, type VoteDecision, vote } from './vote.js';

/** What the verifier needs around the options: the task, its executor and where programs run. */
export interface VerifyContext {
  readonly task: Task<never>;
  readonly executor: Executor;
  /**
   * The environment for an example's `db_id` (SQL) or for the whole example (other tasks: its tests,
   * inputs, fixture); may throw for a whole-run failure (a missing database).
   */
  readonly environment: (
    dbId: string | undefined,
    example: VerifyInput,
  ) => ExecutionEnvironment & { sha256?: string };
  readonly options: VerifyOptions;
  /** Recorded on every output line so a reader can re-run the check. */
  readonly provenance: Record<string, unknown>;
}

/** One output line of `symgen verify`. */
export type VerifiedRecord = Record<string, unknown> & {
  readonly status: 'accepted' | 'rejected';
  readonly reason?: string;
};

/**
 * The verifier as a stage: input lines in, one verified record out per line, in input order.
 * Up to `options.window` examples are in flight at once so every executor stays busy.
 */
export async function* verifyStream(
  lines: AsyncIterable<JsonlLine>,
  context: VerifyContext,
): AsyncGenerator<VerifiedRecord> {
  const window: Promise<VerifiedRecord>[] = [];
  try {
    for await (const line of lines) {
      const pending = verifyLine(line, context);
      // A whole-run failure is rethrown when this promise is awaited in order; until then, stay quiet.
      pending.catch(() => undefined);
      window.push(pending);
      if (window.length >= context.options.window) yield await window.shift()!;
    }
    while (window.length > 0) yield await window.shift()!;
  } finally {
    window.length = 0;
  }
}

/** Verify one input line: invalid lines become `invalid-input` rejections. */
export async function verifyLine(line: JsonlLine, context: VerifyContext): Promise<VerifiedRecord> {
  const checked = checkLine(line);
  return checked.example ? verifyExample(checked.example, context) : checked.rejected;
}

/** The example a line holds, or its `invalid-input` rejection (not JSON, or not a verify input). */
function checkLine(
  line: JsonlLine,
): { example: VerifyInput; rejected?: undefined } | { example?: undefined; rejected: VerifiedRecord } {
  if (line.error !== undefined) return { rejected: invalid(line.line, line.error) };
  const checked = checkVerifyInput(line.value);
  return checked.success
    ? { example: checked.data }
    : { rejected: invalid(line.line, `line ${line.line}: ${checked.message}`) };
}

function invalid(line: number, error: string): VerifiedRecord {
  return { line, status: 'rejected', reason: 'invalid-input', error };
}

interface Prepared {
  readonly program: string | null;
  readonly textKey: string | null;
}

const MEMO_LIMIT = 50_000;
const memos = new WeakMap<VerifyContext, Map<string, Prepared>>();

/** Extract and normalise a candidate text, memoised per run: samples repeat word for word. */
function prepare(text: string, context: VerifyContext): Prepared {
  let memo = memos.get(context);
  if (!memo) {
    memo = new Map();
    memos.set(context, memo);
  }
  const known = memo.get(text);
  if (known) return known;
  const { task } = context;
  let prepared: Prepared;
  if (task.prepare) {
    const both = task.prepare(text);
    prepared = both ? { program: both.program, textKey: both.normalised } : { program: null, textKey: null };
  } else {
    const program = task.extract(text);
    prepared = { program, textKey: program === null ? null : task.normalise(program) };
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, prepared);
  return prepared;
}

/** An example with its candidates prepared: the distinct programs still to run, by text normal form. */
interface PlannedExample {
  readonly example: VerifyInput;
  readonly environment: ExecutionEnvironment & { sha256?: string };
  readonly prepared: Prepared[];
  /** Text normal form to the first program written that way. */
  readonly distinct: Map<string, string>;
}

function planExample(example: VerifyInput, context: VerifyContext): PlannedExample {
  const environment = context.environment(example.db_id, example);
  const prepared: Prepared[] = new Array(example.candidates.length);
  const distinct = new Map<string, string>();
  for (let index = 0; index < example.candidates.length; index++) {
    const sample = prepare(example.candidates[index]!.program, context);
    prepared[index] = sample;
    if (sample.textKey !== null && !distinct.has(sample.textKey))
      distinct.set(sample.textKey, sample.program!);
  }
  return { example, environment, prepared, distinct };
}

/** Verify one example: extract, execute each distinct program once, vote. */
export async function verifyExample(example: VerifyInput, context: VerifyContext): Promise<VerifiedRecord> {
  const plan = planExample(example, context);
  // Each distinct program runs once; samples then share the settled results.
  const keys = [...plan.distinct.keys()];
  const results = await Promise.all(
    keys.map((textKey) =>
      context.executor.execute(plan.distinct.get(textKey)!, plan.environment, { normalised: textKey }),
    ),
  );
  const settled = new Map<string, ExecutionResult>();
  for (let index = 0; index < keys.length; index++) settled.set(keys[index]!, results[index]!);
  return decide(plan, settled, context);
}

/** Runs one program synchronously (an in-thread runner). */
export type RunProgram = (
  program: string,
  environment: ExecutionEnvironment,
  normalised: string,
) => ExecutionResult;

/** {@link verifyExample} with a synchronous runner: no promise per program (the worker threads' hot path). */
export function verifyExampleSync(
  example: VerifyInput,
  context: VerifyContext,
  run: RunProgram,
): VerifiedRecord {
  const plan = planExample(example, context);
  const settled = new Map<string, ExecutionResult>();
  for (const [textKey, program] of plan.distinct)
    settled.set(textKey, run(program, plan.environment, textKey));
  return decide(plan, settled, context);
}

/** Verify one input line synchronously: invalid lines become `invalid-input` rejections. */
export function verifyLineSync(line: JsonlLine, context: VerifyContext, run: RunProgram): VerifiedRecord {
  const checked = checkLine(line);
  return checked.example ? verifyExampleSync(checked.example, context, run) : checked.rejected;
}

/**
 * The vote, with the task's static check: flagged samples cannot win. When the flagged ones would
 * have won and the rest do not carry the vote, the example is rejected with the flag's reason.
 */
function checkedVote(
  samples: SampleOutcome[],
  environment: ExecutionEnvironment,
  context: VerifyContext,
): VoteDecision {
  const { check } = context.task;
  if (!check) return vote(samples, context.options);
  const flags = new Map<string, { reason: string; detail: string } | undefined>();
  let flagged: { reason: string; detail: string } | undefined;
  const checked = samples.map((sample) => {
    if (sample.textKey === null || sample.program === null || sample.result?.status !== 'ok') return sample;
    if (!flags.has(sample.textKey)) flags.set(sample.textKey, check(sample.program, environment));
    const flag = flags.get(sample.textKey);
    if (!flag) return sample;
    flagged ??= flag;
    return { ...sample, flag: flag.reason };
  });
  if (!flagged) return vote(samples, context.options);
  const decision = vote(checked, context.options);
  if (decision.status === 'accepted') return decision;
  const unchecked = vote(samples, context.options);
  return unchecked.status === 'accepted'
    ? {
        ...decision,
        reason: flagged.reason as VoteDecision['reason'],
        errors: [flagged.detail, ...decision.errors].slice(0, 5),
      }
    : decision;
}

function decide(
  plan: PlannedExample,
  settled: Map<string, ExecutionResult>,
  context: VerifyContext,
): VerifiedRecord {
  const { example, environment, prepared } = plan;
  const { options } = context;
  const samples: SampleOutcome[] = prepared.map((sample, index) => ({
    program: sample.program,
    textKey: sample.textKey,
    logprob: example.candidates[index]!.logprob,
    result: sample.textKey === null ? undefined : settled.get(sample.textKey),
  }));
  const decision = checkedVote(samples, environment, context);
  const { candidates, id, question, db_id, ...rest } = example;
  const { status, reason, program, normalised, confidence, votes, total, ...details } = decision;
  const record: VerifiedRecord = {
    ...(id === undefined ? {} : { id }),
    ...(question === undefined ? {} : { question }),
    ...(db_id === undefined ? {} : { db_id }),
    status,
    ...(reason ? { reason } : {}),
    ...(program === undefined ? {} : { program }),
    ...(normalised === undefined ? {} : { normalised }),
    confidence,
    votes,
    total,
    ...details,
    ...rest,
    verification: {
      ...context.provenance,
      // Only environments that are files (SQL databases) are named and hashed; others are in the line.
      ...(environment.path === undefined ? {} : { db: { id: environment.id, sha256: environment.sha256 } }),
    },
  };
  if (options.keepCandidates) {
    record.candidates = samples.map((sample, index) => ({
      text: candidates[index]!.program,
      program: sample.program,
      ...(sample.logprob === undefined ? {} : { logprob: sample.logprob }),
      status: sample.program === null ? 'no-program' : sample.result?.status,
      ...(sample.result?.key ? { key: sample.result.key } : {}),
      ...(sample.result?.error ? { error: sample.result.error } : {}),
    }));
  }
  return record;
}

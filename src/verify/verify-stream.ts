import type { JsonlLine } from '../io/index.js';
import type {
  ExecutionEnvironment,
  ExecutionResult,
  Executor,
  ResultCheck,
  TaskPlugin,
} from '../tasks/spec.js';
import { type AdaptiveRule, checkpoints, checkStop, type StopReason } from './adaptive.js';
import { checkVerifyInput, type VerifyInput } from './input.js';
import type { VerifyOptions } from './options.js';
import { type SampleOutcome, type VoteDecision, vote } from './vote.js';

/** What the verifier needs around the options: the task, its executor and where programs run. */
export interface VerifyContext {
  readonly task: TaskPlugin<never>;
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
  /** Neighbour environments (`testSuite`), empty without them. */
  readonly neighbours: readonly ExecutionEnvironment[];
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
  const { testSuite, testSuiteDir } = context.options;
  const neighbours =
    testSuite > 0 && context.task.testSuite && distinct.size > 0
      ? context.task.testSuite(environment, [...distinct.values()], { size: testSuite, dir: testSuiteDir })
      : [];
  return { example, environment, neighbours, prepared, distinct };
}

/** Verify one example: extract, execute each distinct program once (on every neighbour too), vote. */
export async function verifyExample(example: VerifyInput, context: VerifyContext): Promise<VerifiedRecord> {
  const plan = planExample(example, context);
  const settled = new Map<string, ExecutionResult>();
  const { executor } = context;
  const settle = async (read: number): Promise<void> => {
    // Each distinct program runs once; samples then share the settled results.
    const keys = unsettled(plan, settled, read);
    const results = await Promise.all(
      keys.map(async (textKey) => {
        const program = plan.distinct.get(textKey)!;
        const original = await executor.execute(program, plan.environment, { normalised: textKey });
        if (original.status !== 'ok' || plan.neighbours.length === 0) return original;
        const others = await Promise.all(
          plan.neighbours.map((neighbour) => executor.execute(program, neighbour, { normalised: textKey })),
        );
        return withNeighbours(original, others);
      }),
    );
    for (let index = 0; index < keys.length; index++) settled.set(keys[index]!, results[index]!);
  };
  const flawsAt = async (read: number) => {
    const flaws = new Map<string, string[]>();
    for (const group of checkPlan(plan, settled, context, read)) {
      const original = await executor.execute(group.program, plan.environment, { normalised: group.textKey });
      for (const check of group.checks) {
        const probe = await executor.execute(check.probe, plan.environment);
        if (check.flawed(probe, original))
          flaws.set(group.key, [...(flaws.get(group.key) ?? []), check.name]);
      }
    }
    return flaws;
  };
  const checked = async (read: number, adaptive?: { read: number; stop: StopReason }) =>
    decide(plan, settled, context, adaptive, await flawsAt(read));
  const { options } = context;
  if (!options.adaptive) {
    await settle(plan.prepared.length);
    return checked(plan.prepared.length);
  }
  for (const read of checkpoints(plan.prepared.length, adaptiveRule(options))) {
    await settle(read);
    const flaws = await flawsAt(read);
    const stop = stopAt(plan, settled, context, read, flaws);
    if (stop) return decide(plan, settled, context, { read, stop }, flaws);
  }
  throw new Error('unreachable: the last checkpoint reads every candidate');
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
  const settle = (read: number): void => {
    for (const textKey of unsettled(plan, settled, read)) {
      const program = plan.distinct.get(textKey)!;
      const original = run(program, plan.environment, textKey);
      settled.set(
        textKey,
        original.status !== 'ok' || plan.neighbours.length === 0
          ? original
          : withNeighbours(
              original,
              plan.neighbours.map((neighbour) => run(program, neighbour, textKey)),
            ),
      );
    }
  };
  const flawsAt = (read: number) => {
    const flaws = new Map<string, string[]>();
    for (const group of checkPlan(plan, settled, context, read)) {
      const original = run(group.program, plan.environment, group.textKey);
      for (const check of group.checks) {
        const probe = run(check.probe, plan.environment, context.task.normalise(check.probe));
        if (check.flawed(probe, original))
          flaws.set(group.key, [...(flaws.get(group.key) ?? []), check.name]);
      }
    }
    return flaws;
  };
  const checked = (read: number, adaptive?: { read: number; stop: StopReason }) =>
    decide(plan, settled, context, adaptive, flawsAt(read));
  const { options } = context;
  if (!options.adaptive) {
    settle(plan.prepared.length);
    return checked(plan.prepared.length);
  }
  for (const read of checkpoints(plan.prepared.length, adaptiveRule(options))) {
    settle(read);
    const flaws = flawsAt(read);
    const stop = stopAt(plan, settled, context, read, flaws);
    if (stop) return decide(plan, settled, context, { read, stop }, flaws);
  }
  throw new Error('unreachable: the last checkpoint reads every candidate');
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
  flaws?: ReadonlyMap<string, readonly string[]>,
): VoteDecision {
  const { check } = context.task;
  if (!check) return vote(samples, context.options, flaws, context.task.score);
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
  if (!flagged) return vote(samples, context.options, flaws, context.task.score);
  const decision = vote(checked, context.options, flaws, context.task.score);
  if (decision.status === 'accepted') return decision;
  const unchecked = vote(samples, context.options, flaws, context.task.score);
  return unchecked.status === 'accepted'
    ? {
        ...decision,
        reason: flagged.reason as VoteDecision['reason'],
        errors: [flagged.detail, ...decision.errors].slice(0, 5),
      }
    : decision;
}

/** Text normal forms among the first `read` candidates that have no result yet, in first-seen order. */
function unsettled(plan: PlannedExample, settled: Map<string, ExecutionResult>, read: number): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < read; index++) {
    const textKey = plan.prepared[index]!.textKey;
    if (textKey === null || settled.has(textKey) || seen.has(textKey)) continue;
    seen.add(textKey);
    keys.push(textKey);
  }
  return keys;
}

/**
 * A result on the original joined with the results on the neighbours: the key holds every key (a
 * failure on a neighbour by its status), so programs group only when they agree everywhere.
 */
function withNeighbours(original: ExecutionResult, others: readonly ExecutionResult[]): ExecutionResult {
  const parts = others.map((result) => (result.status === 'ok' ? result.key : `!${result.status}`));
  return { ...original, key: `${original.key}|${parts.join('|')}` };
}

/**
 * The sanity checks to run with `checks` on: for each result group among the first `read` candidates,
 * its most frequent program (the shortest among equals) and the task's checks of it.
 */
function checkPlan(
  plan: PlannedExample,
  settled: Map<string, ExecutionResult>,
  context: VerifyContext,
  read: number,
): { key: string; program: string; textKey: string; checks: readonly ResultCheck[] }[] {
  const { task, options } = context;
  if (!options.checks || !task.checks) return [];
  const groups = new Map<string, Map<string, number>>();
  for (let index = 0; index < read; index++) {
    const textKey = plan.prepared[index]!.textKey;
    const key = textKey === null ? undefined : settled.get(textKey)?.key;
    if (textKey === null || key === undefined || settled.get(textKey)?.status !== 'ok') continue;
    const counts = groups.get(key) ?? new Map<string, number>();
    counts.set(textKey, (counts.get(textKey) ?? 0) + 1);
    groups.set(key, counts);
  }
  const out: { key: string; program: string; textKey: string; checks: readonly ResultCheck[] }[] = [];
  for (const [key, counts] of groups) {
    const [textKey] = [...counts.entries()].sort(
      (a, b) =>
        b[1] - a[1] ||
        plan.distinct.get(a[0])!.length - plan.distinct.get(b[0])!.length ||
        (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    )[0]!;
    const program = plan.distinct.get(textKey)!;
    const checks = task.checks(program, plan.environment);
    if (checks.length > 0) out.push({ key, program, textKey, checks });
  }
  return out;
}

function adaptiveRule(options: VerifyOptions): AdaptiveRule {
  return {
    first: options.adaptiveFirst,
    step: options.adaptiveStep,
    confidence: options.adaptiveConfidence,
  };
}

/**
 * Why reading stops after `read` candidates, or undefined to read on. With checks, flawed groups
 * count as failed candidates: they cannot win, so the rule watches the flawless ones.
 */
function stopAt(
  plan: PlannedExample,
  settled: Map<string, ExecutionResult>,
  context: VerifyContext,
  read: number,
  flaws: ReadonlyMap<string, readonly string[]>,
): StopReason | undefined {
  const decision = vote(outcomes(plan, settled, read), context.options, undefined, context.task.score);
  const check = checkStop(
    decision.clusters.filter((cluster) => !flaws.get(cluster.key)?.length).map((cluster) => cluster.votes),
    read,
    plan.prepared.length,
    context.options.minVotes,
    context.options.adaptiveConfidence,
  );
  return check.stop ? check.reason : undefined;
}

function outcomes(
  plan: PlannedExample,
  settled: Map<string, ExecutionResult>,
  read: number,
): SampleOutcome[] {
  const samples: SampleOutcome[] = new Array(read);
  for (let index = 0; index < read; index++) {
    const sample = plan.prepared[index]!;
    samples[index] = {
      program: sample.program,
      textKey: sample.textKey,
      logprob: plan.example.candidates[index]!.logprob,
      result: sample.textKey === null ? undefined : settled.get(sample.textKey),
    };
  }
  return samples;
}

function decide(
  plan: PlannedExample,
  settled: Map<string, ExecutionResult>,
  context: VerifyContext,
  adaptive?: { read: number; stop: StopReason },
  flaws?: ReadonlyMap<string, readonly string[]>,
): VerifiedRecord {
  const { example, environment, prepared } = plan;
  const { options } = context;
  const samples = outcomes(plan, settled, adaptive?.read ?? prepared.length);
  const decision = checkedVote(samples, environment, context, options.checks ? flaws : undefined);
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
    ...(adaptive ? { adaptive: { read: adaptive.read, budget: prepared.length, stop: adaptive.stop } } : {}),
    ...(plan.neighbours.length > 0 ? { neighbours: plan.neighbours.length } : {}),
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

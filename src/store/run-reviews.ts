import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeLinesAtomically } from '../io/index.js';
import type { ExampleState, RunStore, StoredExample } from './run-store.js';
import { RUN_FILES, writeJsonAtomically } from './write-outputs.js';

/** One field a reviewer changed. */
export interface ReviewChange {
  readonly field: 'status' | 'question' | 'program';
  readonly old: string | null;
  readonly new: string | null;
}

/** A reviewer's decision on one example, as stored in the `reviews` table of `run.sqlite`. */
export interface StoredReview {
  readonly id: number;
  readonly exampleId: string;
  /** ISO time of the decision. */
  readonly at: string;
  readonly action: 'accept' | 'reject' | 'edit';
  readonly changes: ReviewChange[];
  /** The reviewer's reason (rejections). */
  readonly reason: string | null;
  /** The execution result of an edited program, as the task's executor gave it. */
  readonly result: unknown;
}

/** What a decision sets on an example. */
export interface ReviewDecision {
  readonly action: 'accept' | 'reject' | 'edit';
  readonly reason?: string;
  readonly question?: string;
  readonly program?: string;
  /** Task fields that change with the program (SQL `query`, MBPP `code`) and features, when recomputed. */
  readonly record?: (record: Record<string, unknown>) => Record<string, unknown>;
  /** The execution result of an edited program. */
  readonly result?: unknown;
  /** Time of the decision. @default now */
  readonly at?: Date;
}

/** Review counts of a run (in `stats.json` and the report). */
export interface ReviewCounts {
  /** Examples with at least one decision. */
  readonly reviewed: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Reviewed examples whose question or program a reviewer changed. */
  readonly edited: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT, example_id TEXT NOT NULL, at TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit')), changes TEXT NOT NULL,
  reason TEXT, result TEXT);
CREATE INDEX IF NOT EXISTS reviews_example ON reviews (example_id, id);
`;

/** Why a decision was refused: the HTTP layer turns `kind` into a status code. */
export class ReviewConflict extends Error {
  constructor(
    readonly kind: 'not-found' | 'stale' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The reviews of a run, in `run.sqlite` beside its examples: every decision is one transaction that
 * updates the example (state, question, dataset line with its `review` field) and appends a row to
 * `reviews` (when, what changed, old and new). An example's version is its number of reviews, so a
 * decision made on a stale view is refused instead of overwriting a newer one.
 */
export class RunReviews {
  constructor(readonly store: RunStore) {
    store.database.exec(SCHEMA);
  }

  /** The decided examples (those with a dataset line), in order. */
  examples(): StoredExample[] {
    return this.store.examples().filter((example) => example.record !== null);
  }

  /** One example, or undefined. */
  example(id: string): StoredExample | undefined {
    const row = this.store.database
      .prepare('SELECT seq, id, db_id, prompt_id, question, state, reason, record FROM examples WHERE id = ?')
      .get(id) as
      | {
          seq: number;
          id: string;
          db_id: string;
          prompt_id: string | null;
          question: string;
          state: ExampleState;
          reason: string | null;
          record: string | null;
        }
      | undefined;
    if (!row) return undefined;
    return {
      seq: row.seq,
      id: row.id,
      dbId: row.db_id,
      promptId: row.prompt_id,
      question: row.question,
      state: row.state,
      reason: row.reason,
      record: row.record === null ? null : (JSON.parse(row.record) as Record<string, unknown>),
    };
  }

  /** Reviews per example id (the version of an example is its number of reviews). */
  versions(): Map<string, number> {
    const rows = this.store.database
      .prepare('SELECT example_id, count(*) AS n FROM reviews GROUP BY example_id')
      .all() as { example_id: string; n: number }[];
    return new Map(rows.map((row) => [row.example_id, row.n]));
  }

  version(id: string): number {
    return (
      this.store.database.prepare('SELECT count(*) AS n FROM reviews WHERE example_id = ?').get(id) as {
        n: number;
      }
    ).n;
  }

  /** The reviews of one example, oldest first (or of every example). */
  reviews(exampleId?: string): StoredReview[] {
    const rows = (
      exampleId === undefined
        ? this.store.database.prepare('SELECT * FROM reviews ORDER BY id').all()
        : this.store.database.prepare('SELECT * FROM reviews WHERE example_id = ? ORDER BY id').all(exampleId)
    ) as {
      id: number;
      example_id: string;
      at: string;
      action: StoredReview['action'];
      changes: string;
      reason: string | null;
      result: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      exampleId: row.example_id,
      at: row.at,
      action: row.action,
      changes: JSON.parse(row.changes) as ReviewChange[],
      reason: row.reason,
      result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    }));
  }

  /**
   * Applies a decision in one transaction, if the example is still at `version`. Accept and edit
   * move the example to the dataset (state `accepted`), reject to `rejected.jsonl` with reason
   * `rejected-by-reviewer`; the dataset line gets `review: { status, at, reason?, edited?, previous? }`.
   */
  decide(
    id: string,
    version: number,
    decision: ReviewDecision,
  ): { example: StoredExample; review: StoredReview } {
    const database = this.store.database;
    return database.transaction(() => {
      const example = this.example(id);
      if (!example?.record) {
        throw new ReviewConflict(
          'not-found',
          `no example ${JSON.stringify(id)} in this run (reload the queue)`,
        );
      }
      const current = this.version(id);
      if (current !== version) {
        throw new ReviewConflict(
          'stale',
          `example ${id} changed since it was loaded (version ${current}, the request had ${version}); reload it`,
        );
      }
      const at = (decision.at ?? new Date()).toISOString();
      const state: ExampleState = decision.action === 'reject' ? 'rejected' : 'accepted';
      const before = example.record;
      const oldProgram = typeof before.program === 'string' ? before.program : null;
      const changes: ReviewChange[] = [];
      if (example.state !== state) changes.push({ field: 'status', old: example.state, new: state });
      let record: Record<string, unknown> = { ...before };
      const previous: Record<string, string> = {};
      if (decision.question !== undefined && decision.question !== example.question) {
        changes.push({ field: 'question', old: example.question, new: decision.question });
        previous.question = example.question;
        record = replaceField(record, example.question, decision.question, 'question');
      }
      if (decision.program !== undefined && decision.program !== oldProgram) {
        changes.push({ field: 'program', old: oldProgram, new: decision.program });
        if (oldProgram !== null) previous.program = oldProgram;
        record = replaceField(record, oldProgram, decision.program, 'program');
      }
      if (decision.action === 'accept' && typeof record.program !== 'string') {
        throw new ReviewConflict('invalid', `example ${id} has no program to accept: edit it first`);
      }
      if (decision.record && changes.some((change) => change.field === 'program'))
        record = decision.record(record);
      const earlier = (before.review ?? undefined) as { previous?: Record<string, string> } | undefined;
      const reason =
        decision.action === 'reject' ? (decision.reason ?? '').trim() || 'no reason given' : null;
      const verifierReason =
        (before.review as { verifierReason?: string } | undefined)?.verifierReason ??
        (typeof before.reason === 'string' && before.reason !== 'rejected-by-reviewer'
          ? before.reason
          : undefined);
      const allPrevious = { ...(earlier?.previous ?? {}) };
      for (const [field, value] of Object.entries(previous)) allPrevious[field] ??= value;
      const edited = new Set([
        ...((earlier as { edited?: string[] } | undefined)?.edited ?? []),
        ...changes.filter((change) => change.field !== 'status').map((change) => change.field),
      ]);
      record.status = state;
      if (state === 'rejected') record.reason = 'rejected-by-reviewer';
      else delete record.reason;
      record.review = {
        status: state,
        at,
        ...(reason === null ? {} : { reason }),
        ...(edited.size > 0 ? { edited: [...edited].sort() } : {}),
        ...(Object.keys(allPrevious).length > 0 ? { previous: allPrevious } : {}),
        ...(decision.result === undefined ? {} : { result: decision.result }),
        ...(verifierReason === undefined ? {} : { verifierReason }),
        reviews: current + 1,
      };
      database
        .prepare('UPDATE examples SET state = ?, reason = ?, question = ?, record = ? WHERE id = ?')
        .run(
          state,
          state === 'rejected' ? 'rejected-by-reviewer' : null,
          typeof record.question === 'string' ? record.question : example.question,
          JSON.stringify(record),
          id,
        );
      const inserted = database
        .prepare(
          'INSERT INTO reviews (example_id, at, action, changes, reason, result) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(
          id,
          at,
          decision.action,
          JSON.stringify(changes),
          reason,
          decision.result === undefined ? null : JSON.stringify(decision.result),
        );
      const reviewId = Number(inserted.lastInsertRowid);
      return {
        example: this.example(id)!,
        review: this.reviews(id).find((review) => review.id === reviewId)!,
      };
    })();
  }

  /** Review counts. */
  counts(): ReviewCounts {
    return reviewCounts(this.store);
  }
}

/**
 * A dataset line with one field changed: the common field (`question`, `program`) and every other
 * top-level string field that held the same text (a task's own copy: SQL `query`, MBPP `text`/`code`,
 * NL2Bash `nl`/`bash`), so the line stays consistent whatever the task calls its fields.
 */
function replaceField(
  record: Record<string, unknown>,
  old: string | null,
  value: string,
  field: string,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...record, [field]: value };
  if (old === null) return next;
  for (const [name, current] of Object.entries(record)) {
    if (name !== field && current === old) next[name] = value;
  }
  return next;
}

/** Review counts of a store; zeros when no one reviewed (the table may not exist). */
export function reviewCounts(store: RunStore): ReviewCounts {
  const table = store.database
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'reviews'")
    .get();
  if (!table) return { reviewed: 0, accepted: 0, rejected: 0, edited: 0 };
  const counts = { reviewed: 0, accepted: 0, rejected: 0, edited: 0 };
  const rows = store.database
    .prepare(
      `SELECT e.state AS state, e.record AS record FROM examples e
       WHERE e.id IN (SELECT DISTINCT example_id FROM reviews)`,
    )
    .all() as { state: ExampleState; record: string | null }[];
  for (const row of rows) {
    counts.reviewed++;
    if (row.state === 'accepted') counts.accepted++;
    if (row.state === 'rejected') counts.rejected++;
    const review = row.record
      ? (JSON.parse(row.record) as { review?: { edited?: unknown } }).review
      : undefined;
    if (Array.isArray(review?.edited)) counts.edited++;
  }
  return counts;
}

/**
 * Rewrites `dataset.jsonl` and `rejected.jsonl` from the store, and brings `stats.json` (when the run
 * has one) up to date with the examples' states and the review counts; each file whole or not at all.
 */
export async function writeReviewedOutputs(store: RunStore): Promise<void> {
  for (const [file, state] of [
    [RUN_FILES.dataset, 'accepted'],
    [RUN_FILES.rejected, 'rejected'],
  ] as const) {
    await writeLinesAtomically(join(store.dir, file), recordLines(store, state));
  }
  const statsFile = join(store.dir, RUN_FILES.stats);
  if (!existsSync(statsFile)) return;
  let stats: Record<string, unknown>;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return;
  }
  const states = store.countByState();
  const decided = states.accepted + states.rejected;
  stats.examples = {
    total: states.question + decided,
    accepted: states.accepted,
    rejected: states.rejected,
    pending: states.question,
    acceptRate: decided === 0 ? 0 : Math.round((states.accepted / decided) * 10000) / 10000,
  };
  stats.review = reviewCounts(store);
  await writeJsonAtomically(statsFile, stats);
}

async function* recordLines(store: RunStore, state: 'accepted' | 'rejected'): AsyncGenerator<string> {
  for (const example of store.examples(state)) {
    if (example.record) yield JSON.stringify(example.record);
  }
}

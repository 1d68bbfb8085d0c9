import type { RunReviews } from '../store/run-reviews.js';
import type { StoredExample } from '../store/run-store.js';

/** Filters of the review queue; an absent filter keeps everything. */
export interface QueueFilter {
  /** `accepted`, `rejected` (the example's state now), `reviewed` or `unreviewed`. */
  readonly status?: string;
  /** The verifier's rejection reason (`below-min-votes`, ...) or `rejected-by-reviewer`. */
  readonly reason?: string;
  /** The example's database (`db_id`); `-` for lines without one. */
  readonly db?: string;
  /** The program's hardness (`features.hardness`); `-` for lines without one. */
  readonly hardness?: string;
}

/** One example in the queue. */
export interface QueueItem {
  readonly id: string;
  readonly question: string;
  readonly program: string | null;
  readonly state: 'accepted' | 'rejected' | 'question';
  readonly reason: string | null;
  readonly db: string;
  readonly hardness: string;
  readonly confidence: number | null;
  readonly votes: number | null;
  readonly total: number | null;
  /** The reviewer's decision, when there is one. */
  readonly reviewed: 'accepted' | 'rejected' | null;
  readonly edited: boolean;
  /** Reviews so far; decisions must send it back (a stale one is refused). */
  readonly version: number;
}

/** The queue: matching examples, lowest confidence first, and the values each filter can take. */
export interface Queue {
  readonly items: QueueItem[];
  readonly total: number;
  readonly facets: {
    readonly status: Record<string, number>;
    readonly reason: Record<string, number>;
    readonly db: Record<string, number>;
    readonly hardness: Record<string, number>;
  };
}

/** The queue item of a decided example. */
export function queueItem(example: StoredExample, version: number): QueueItem {
  const record = example.record ?? {};
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const features = record.features as { hardness?: unknown } | undefined;
  const review = record.review as { status?: 'accepted' | 'rejected'; edited?: unknown } | undefined;
  return {
    id: example.id,
    question: example.question,
    program: typeof record.program === 'string' ? record.program : null,
    state: example.state,
    reason: example.reason ?? (typeof record.reason === 'string' ? record.reason : null),
    db: typeof record.db_id === 'string' ? record.db_id : '-',
    hardness: typeof features?.hardness === 'string' ? features.hardness : '-',
    confidence: number(record.confidence),
    votes: number(record.votes),
    total: number(record.total),
    reviewed: review?.status ?? null,
    edited: Array.isArray(review?.edited),
    version,
  };
}

/**
 * The review queue of a run: decided examples matching the filter, lowest confidence first (lines
 * without a confidence last), then in generation order.
 */
export function buildQueue(reviews: RunReviews, filter: QueueFilter = {}): Queue {
  const versions = reviews.versions();
  const all = reviews.examples().map((example) => queueItem(example, versions.get(example.id) ?? 0));
  const facets: Queue['facets'] = { status: {}, reason: {}, db: {}, hardness: {} };
  const add = (facet: Record<string, number>, value: string) => {
    facet[value] = (facet[value] ?? 0) + 1;
  };
  for (const item of all) {
    add(facets.status, item.state);
    add(facets.status, item.reviewed ? 'reviewed' : 'unreviewed');
    if (item.reason) add(facets.reason, item.reason);
    add(facets.db, item.db);
    add(facets.hardness, item.hardness);
  }
  const items = all
    .filter((item) => matches(item, filter))
    .map((item, order) => ({ item, order }))
    .sort(
      (left, right) =>
        (left.item.confidence ?? Number.POSITIVE_INFINITY) -
          (right.item.confidence ?? Number.POSITIVE_INFINITY) || left.order - right.order,
    )
    .map(({ item }) => item);
  return { items, total: all.length, facets };
}

function matches(item: QueueItem, filter: QueueFilter): boolean {
  if (filter.status) {
    if (filter.status === 'reviewed' && !item.reviewed) return false;
    if (filter.status === 'unreviewed' && item.reviewed) return false;
    if ((filter.status === 'accepted' || filter.status === 'rejected') && item.state !== filter.status)
      return false;
  }
  if (filter.reason && item.reason !== filter.reason) return false;
  if (filter.db && item.db !== filter.db) return false;
  if (filter.hardness && item.hardness !== filter.hardness) return false;
  return true;
}

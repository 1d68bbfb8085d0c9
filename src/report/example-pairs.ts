import type { DatasetExample } from '../dataset/index.js';
import { sqlFeatures } from '../tasks/sql/features.js';
import { HARDNESS_LEVELS } from '../tasks/sql/hardness.js';

/** The first rows of a program's result, as the run recorded them. */
export interface ResultPreview {
  readonly rows: readonly (readonly unknown[])[];
  /** Rows in the whole result, when recorded. */
  readonly size?: number;
}

/** One result group of a rejected example: what some of its candidates answered. */
export interface ExampleGroup {
  readonly votes: number;
  readonly program?: string;
  readonly preview?: ResultPreview;
}

/** A question and its program, with what the run knows of it, for a person to read. */
export interface ExamplePair {
  readonly id: string;
  readonly question: string;
  /** `''` for a rejected example with no program. */
  readonly program: string;
  readonly dbId?: string;
  /** Spider hardness level (`unknown` when the program does not parse or is missing). */
  readonly hardness: string;
  readonly status: 'accepted' | 'rejected';
  readonly reason?: string;
  readonly confidence?: number;
  readonly votes?: number;
  readonly total?: number;
  readonly preview?: ResultPreview;
  /** For a rejected example: its largest result groups (at most three). */
  readonly groups: readonly ExampleGroup[];
  /** A few error messages of failed candidates. */
  readonly errors: readonly string[];
}

/** The example pairs of a report: accepted by hardness level, lowest confidence, rejected, and per database. */
export interface ExamplePairs {
  /** Accepted examples by hardness level (levels in Spider's order, `unknown` last), a few each. */
  readonly acceptedByHardness: Readonly<Record<string, readonly ExamplePair[]>>;
  /** How many accepted examples each hardness level has. */
  readonly hardnessCounts: Readonly<Record<string, number>>;
  /** Accepted examples of lowest confidence (below 1), lowest first. */
  readonly lowestConfidence: readonly ExamplePair[];
  /** Rejected examples, one of each reason before a second of any. */
  readonly rejected: readonly ExamplePair[];
  /** Per database (sorted): a few accepted, its lowest-confidence one and a few rejected. */
  readonly byDatabase: readonly {
    readonly dbId: string;
    readonly accepted: number;
    readonly rejectedCount: number;
    readonly examples: readonly ExamplePair[];
    readonly lowest?: ExamplePair;
    readonly rejected: readonly ExamplePair[];
  }[];
}

/** Examples shown per group (hardness level, list, database). */
export const EXAMPLES_PER_GROUP = 3;
const LIST_LENGTH = 6;

/**
 * Pick the example pairs a report shows, in a fixed order (the same files always give the same
 * page): evenly spread over the file within each group, so a group is not shown by its first lines
 * only. The SQL parser must be loaded (hardness of examples without recorded features).
 */
export function pickExamplePairs(
  accepted: readonly DatasetExample[],
  rejected: readonly DatasetExample[],
): ExamplePairs {
  const acceptedPairs = accepted.map((example) => toPair(example, 'accepted'));
  const rejectedPairs = rejected.map((example) => toPair(example, 'rejected'));
  const levels = [...HARDNESS_LEVELS, 'unknown'];
  const byLevel = groupBy(acceptedPairs, (pair) => pair.hardness);
  const acceptedByHardness: Record<string, ExamplePair[]> = {};
  const hardnessCounts: Record<string, number> = {};
  for (const level of levels) {
    const pairs = byLevel.get(level);
    if (!pairs) continue;
    acceptedByHardness[level] = spread(pairs, EXAMPLES_PER_GROUP);
    hardnessCounts[level] = pairs.length;
  }
  const databases = new Set([...acceptedPairs, ...rejectedPairs].map((pair) => pair.dbId ?? ''));
  const acceptedByDb = groupBy(acceptedPairs, (pair) => pair.dbId ?? '');
  const rejectedByDb = groupBy(rejectedPairs, (pair) => pair.dbId ?? '');
  const byDatabase = [...databases]
    .sort((left, right) => left.localeCompare(right))
    .map((dbId) => {
      const own = acceptedByDb.get(dbId) ?? [];
      const lowest = lowestConfidence(own, 1)[0];
      return {
        dbId,
        accepted: own.length,
        rejectedCount: rejectedByDb.get(dbId)?.length ?? 0,
        examples: spread(own, EXAMPLES_PER_GROUP),
        ...(lowest ? { lowest } : {}),
        rejected: byReason(rejectedByDb.get(dbId) ?? [], 2),
      };
    });
  return {
    acceptedByHardness,
    hardnessCounts,
    lowestConfidence: lowestConfidence(acceptedPairs, LIST_LENGTH),
    rejected: byReason(rejectedPairs, LIST_LENGTH),
    byDatabase,
  };
}

function toPair(example: DatasetExample, status: 'accepted' | 'rejected'): ExamplePair {
  const raw = example.raw;
  const recorded = example.features?.hardness;
  const hardness =
    typeof recorded === 'string' && (HARDNESS_LEVELS as readonly string[]).includes(recorded)
      ? recorded
      : example.program
        ? sqlFeatures(example.program).hardness
        : 'unknown';
  const clusters = Array.isArray(raw.clusters) ? (raw.clusters as unknown[]).filter(isRecord) : [];
  const preview = status === 'accepted' ? previewOf(raw, clusters, example.program) : undefined;
  const errors = Array.isArray(raw.errors)
    ? raw.errors.filter((error): error is string => typeof error === 'string').slice(0, 3)
    : [];
  return {
    id: example.id,
    question: example.question,
    program: example.program,
    ...(example.dbId ? { dbId: example.dbId } : {}),
    hardness,
    status,
    ...(example.reason ? { reason: example.reason } : {}),
    ...(example.confidence === undefined ? {} : { confidence: example.confidence }),
    ...(example.votes === undefined ? {} : { votes: example.votes }),
    ...(example.total === undefined ? {} : { total: example.total }),
    ...(preview ? { preview } : {}),
    groups: status === 'rejected' ? clusters.slice(0, 3).map(groupOf) : [],
    errors,
  };
}

/**
 * The chosen program's result: `result.preview` (the offline generator), else the preview of the
 * result group holding the program (`symgen verify` output), else the largest group's.
 */
function previewOf(
  raw: Record<string, unknown>,
  clusters: readonly Record<string, unknown>[],
  program: string,
): ResultPreview | undefined {
  if (isRecord(raw.result)) {
    const preview = rows(raw.result.preview);
    if (preview) return withSize(preview, raw.result.rows);
  }
  const holding = clusters.find(
    (cluster) =>
      Array.isArray(cluster.programs) &&
      cluster.programs.some((entry) => isRecord(entry) && entry.program === program),
  );
  const group = holding ?? clusters[0];
  const preview = group ? rows(group.preview) : undefined;
  return preview ? withSize(preview, group!.size) : undefined;
}

function groupOf(cluster: Record<string, unknown>): ExampleGroup {
  const programs = Array.isArray(cluster.programs) ? cluster.programs.filter(isRecord) : [];
  const program = programs.find((entry) => typeof entry.program === 'string')?.program as string | undefined;
  const preview = rows(cluster.preview);
  return {
    votes: typeof cluster.votes === 'number' ? cluster.votes : 0,
    ...(program === undefined ? {} : { program }),
    ...(preview ? { preview: withSize(preview, cluster.size) } : {}),
  };
}

function rows(value: unknown): unknown[][] | undefined {
  return Array.isArray(value) && value.every(Array.isArray) ? (value as unknown[][]) : undefined;
}

function withSize(preview: unknown[][], size: unknown): ResultPreview {
  return typeof size === 'number' ? { rows: preview, size } : { rows: preview };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

/** `count` items evenly spread over `items` (first and last included), in file order. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  if (count === 1) return [items[0]!];
  return Array.from(
    { length: count },
    (_, index) => items[Math.round((index * (items.length - 1)) / (count - 1))]!,
  );
}

/** The accepted pairs of lowest confidence below 1, lowest first (file order among equals). */
function lowestConfidence(pairs: readonly ExamplePair[], count: number): ExamplePair[] {
  return pairs
    .filter((pair) => pair.confidence !== undefined && pair.confidence < 1)
    .sort((left, right) => left.confidence! - right.confidence!)
    .slice(0, count);
}

/** Up to `count` rejected pairs: the first of each reason (most frequent reason first), then the second, ... */
function byReason(pairs: readonly ExamplePair[], count: number): ExamplePair[] {
  const groups = [...groupBy(pairs, (pair) => pair.reason ?? 'unknown').values()].sort(
    (left, right) => right.length - left.length,
  );
  const picked: ExamplePair[] = [];
  for (let round = 0; picked.length < count; round++) {
    const before = picked.length;
    for (const group of groups) {
      if (picked.length < count && group[round]) picked.push(group[round]!);
    }
    if (picked.length === before) break;
  }
  return picked;
}

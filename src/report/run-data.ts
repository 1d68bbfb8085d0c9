import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { readDataset, readDatasetIfExists } from '../dataset/index.js';
import { InputError } from '../errors/index.js';
import { meanPairwiseCosine } from '../evaluate/embedding-similarity.js';
import { type Faithfulness, faithfulnessFromLines } from '../evaluate/faithfulness.js';
import { type ProgramDiversity, programDiversity } from '../evaluate/program-diversity.js';
import { type TextDiversity, textDiversity } from '../evaluate/text-diversity.js';
import { RUN_FILES, RunStore } from '../store/index.js';
import { resolveTask } from '../tasks/registry/index.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { DatabaseSet } from '../tasks/sql/databases.js';
import { openReadOnly, readSqliteSchema, type SqlSchema } from '../tasks/sql/schema.js';
import { type ExamplePairs, pickExamplePairs } from './example-pairs.js';

/** One stage of the acceptance funnel. */
export interface FunnelStage {
  readonly stage: string;
  readonly count: number;
}

/** Tokens and cost of a run, from `stats.json`'s `usage`. */
export interface RunUsage {
  readonly requests?: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (priced apart from plain input). */
  readonly cacheWriteTokens?: number;
  /** Samples cut off at the token limit (never voted). */
  readonly truncated?: number;
  readonly costUsd?: number;
  readonly byStage: Record<
    string,
    { promptTokens: number; completionTokens: number; costUsd?: number; samples?: number; truncated?: number }
  >;
}

/** Everything the report shows, computed from a run directory (and a reference dataset). */
export interface ReportData {
  readonly runDirectory: string;
  readonly title: string;
  /** Model and mode, when `stats.json` says. */
  readonly model?: string;
  readonly mode?: string;
  readonly funnel: FunnelStage[];
  /** Samples or examples dropped before the verifier, by reason (question generation). */
  readonly droppedBefore: Record<string, number>;
  /** Examples the verifier rejected, by reason. */
  readonly rejectedBy: Record<string, number>;
  readonly faithfulness: Faithfulness;
  readonly text: TextDiversity;
  readonly programs: ProgramDiversity;
  readonly reference?: {
    readonly path: string;
    readonly text: TextDiversity;
    readonly programs: ProgramDiversity;
  };
  readonly usage?: RunUsage;
  /** The target mix of the run and the divergence of the accepted examples from it (`stats.json`'s `mix`). */
  readonly mix?: {
    readonly source: string;
    readonly programs: number;
    readonly divergence: { readonly hardness: number; readonly clauses: number; readonly tables: number };
  };
  /** Accepted examples by where they came from (`stats.json`'s `examples.byOrigin`). */
  readonly origins?: Record<string, number>;
  readonly wallSeconds?: number;
  /** Per database: questions asked for, made, accepted, rejected (from `stats.json`). */
  readonly byDatabase: Record<
    string,
    { quota: number; questions: number; accepted: number; rejected: number }
  >;
  /** What reviewers decided (`symgen review`): lines with a `review` field. */
  readonly review: { reviewed: number; accepted: number; rejected: number; edited: number };
  /**
   * The databases the programs ran on, for table and column coverage: `--db`, else the one the run
   * was generated from (its stored configuration). `missing`: the run's database is not there now.
   */
  readonly database?: { readonly path: string; readonly from: 'option' | 'run'; readonly missing?: true };
  /** Example pairs to read: accepted by hardness level, lowest confidence, rejected, per database. */
  readonly examples: ExamplePairs;
  /** The run's data files that exist, with links relative to where the report is written. */
  readonly files: readonly RunFile[];
  /** Which inputs were found, for the footer. */
  readonly sources: { readonly stats: boolean; readonly rejected: boolean; readonly invalidLines: number };
  readonly generatedAt: string;
}

/** A data file of the run directory, linked from the report. */
export interface RunFile {
  readonly name: string;
  /** What it holds. */
  readonly what: string;
  /** Link from the report's folder (a relative URL). */
  readonly href: string;
  readonly bytes: number;
}

/** Options of {@link readRunData}. */
export interface ReportOptions {
  /** Where the report will be written (links to the data files are relative to its folder). @default <run-dir>/report.html */
  readonly out?: string;
  /** A reference dataset for hardness, clause and diversity comparisons. */
  readonly reference?: string;
  /** Databases, for table and column coverage. */
  readonly db?: string;
  /** Compute the embedding cosine (loads the offline model). @default true */
  readonly embeddings?: boolean;
  /** Fixed time stamp (tests). */
  readonly now?: Date;
  /** The task of the programs. @default the run's task (`run.sqlite`, else `stats.json`), else sql */
  readonly task?: TaskPlugin<never>;
}

/**
 * Gather the report's figures from a run directory: `dataset.jsonl` (required), `rejected.jsonl`
 * and `stats.json` (optional; what they would give is computed from the datasets when missing, and
 * left out when it cannot be).
 */
export async function readRunData(runDirectory: string, options: ReportOptions = {}): Promise<ReportData> {
  const datasetPath = join(runDirectory, 'dataset.jsonl');
  if (!existsSync(datasetPath)) {
    throw new InputError(
      `no dataset.jsonl in ${runDirectory}: pass a run directory written by symgen generate`,
      {
        file: datasetPath,
      },
    );
  }
  const task = options.task ?? (await resolveTask(runTask(runDirectory)));
  await task.ready?.();
  const dataset = await readDataset(datasetPath, { includeRejected: true });
  const accepted = dataset.examples.filter((example) => example.status !== 'rejected');
  const rejectedFile = await readDatasetIfExists(join(runDirectory, 'rejected.jsonl'), {
    includeRejected: true,
  });
  const rejected = [
    ...dataset.examples.filter((example) => example.status === 'rejected'),
    ...(rejectedFile?.examples ?? []),
  ];
  const stats = readStats(join(runDirectory, 'stats.json'));
  const faithfulness = faithfulnessFromLines(accepted, rejected);

  const database = options.db ? { path: options.db, from: 'option' as const } : runDatabase(runDirectory);
  const schemas =
    database && !database.missing
      ? loadSchemas(
          database.path,
          accepted.map((example) => example.dbId),
        )
      : undefined;
  const embeddings = options.embeddings !== false;
  const questions = accepted.map((example) => example.question);
  let text = textDiversity(questions);
  if (embeddings) text = { ...text, embeddingCosine: await meanPairwiseCosine(questions) };
  const programs = programDiversity(
    accepted.map((example) => ({
      program: example.program,
      ...(example.dbId ? { dbId: example.dbId } : {}),
    })),
    schemas,
    task,
  );
  let reference: ReportData['reference'];
  if (options.reference) {
    const referenceSet = await readDataset(options.reference);
    const referenceQuestions = referenceSet.examples.map((example) => example.question);
    let referenceText = textDiversity(referenceQuestions);
    if (embeddings)
      referenceText = { ...referenceText, embeddingCosine: await meanPairwiseCosine(referenceQuestions) };
    reference = {
      path: options.reference,
      text: referenceText,
      programs: programDiversity(
        referenceSet.examples.map((example) => ({
          program: example.program,
          ...(example.dbId ? { dbId: example.dbId } : {}),
        })),
        schemas,
        task,
      ),
    };
  }

  const rejectedBy =
    numberRecord(path(stats, ['stages', 'gen_a', 'rejectedBy'])) ?? faithfulness.rejectReasons;
  const model = path(stats, ['run', 'model']) as { provider?: string; modelId?: string } | null | undefined;
  const mode = path(stats, ['run', 'mode']);
  const usage = readUsage(stats);
  const wallMs = path(stats, ['timings', 'wallMs']);
  return {
    runDirectory,
    title: `symgen run report: ${runDirectory.replace(/\/+$/, '').split('/').pop()}`,
    ...(model?.modelId
      ? { model: `${model.provider ?? ''} ${model.modelId}`.trim() }
      : mode === 'programs-first'
        ? { model: 'offline programs-first generator' }
        : {}),
    ...(typeof mode === 'string' ? { mode } : {}),
    funnel: funnelOf(stats, accepted.length, rejected.length),
    droppedBefore: numberRecord(path(stats, ['stages', 'gen_q', 'dropped'])) ?? {},
    rejectedBy,
    faithfulness,
    text,
    programs,
    ...(reference ? { reference } : {}),
    ...(usage ? { usage } : {}),
    ...mixOf(stats),
    ...originsOf(stats),
    ...(typeof wallMs === 'number' ? { wallSeconds: wallMs / 1000 } : {}),
    byDatabase: byDatabaseOf(stats),
    review: reviewOf([...accepted, ...rejected]),
    ...(database ? { database } : {}),
    examples: pickExamplePairs(accepted, rejected),
    files: runFiles(runDirectory, options.out ?? join(runDirectory, 'report.html')),
    sources: {
      stats: stats !== undefined,
      rejected: rejectedFile !== undefined,
      invalidLines: dataset.errors.length,
    },
    generatedAt: (options.now ?? new Date()).toISOString(),
  };
}

/** The task a run was generated for: its stored configuration, else `stats.json`'s `run.task`. */
function runTask(runDirectory: string): { task?: string; taskModule?: string } {
  if (RunStore.exists(runDirectory)) {
    const store = RunStore.open(runDirectory, { create: false });
    try {
      const config = JSON.parse(store.getMeta('config') ?? '{}') as { task?: string; taskModule?: string };
      return {
        ...(config.task ? { task: config.task } : {}),
        ...(config.taskModule ? { taskModule: config.taskModule } : {}),
      };
    } finally {
      store.close();
    }
  }
  const run = readStats(join(runDirectory, 'stats.json'))?.run as { task?: unknown } | undefined;
  return typeof run?.task === 'string' ? { task: run.task } : {};
}

function readStats(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch (error) {
    throw new InputError(`stats.json in the run directory is not valid JSON: ${(error as Error).message}`, {
      file,
    });
  }
}

function path(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function numberRecord(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number',
  );
  return Object.fromEntries(entries);
}

function funnelOf(
  stats: Record<string, unknown> | undefined,
  accepted: number,
  rejected: number,
): FunnelStage[] {
  const number = (keys: string[]) => {
    const value = path(stats, keys);
    return typeof value === 'number' ? value : undefined;
  };
  const stages: FunnelStage[] = [];
  const add = (stage: string, count: number | undefined) => {
    if (count !== undefined) stages.push({ stage, count });
  };
  const sampled = number(['stages', 'gen_q', 'samples']);
  if (sampled) {
    add('questions sampled', sampled);
    add('questions kept', number(['stages', 'gen_q', 'kept']));
  } else {
    // No question stage (the offline programs-first generator): start from what was asked for.
    add('questions asked for', number(['run', 'count']));
  }
  const decidedAccepted = number(['examples', 'accepted']);
  const decidedRejected = number(['examples', 'rejected']);
  add(
    'questions verified',
    decidedAccepted !== undefined && decidedRejected !== undefined
      ? decidedAccepted + decidedRejected
      : accepted + rejected,
  );
  add('accepted', decidedAccepted ?? accepted);
  return stages;
}

function byDatabaseOf(stats: Record<string, unknown> | undefined): ReportData['byDatabase'] {
  const value = path(stats, ['byDatabase']);
  if (typeof value !== 'object' || value === null) return {};
  const result: ReportData['byDatabase'] = {};
  for (const [dbId, entry] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    const count = (key: string) => (typeof entry?.[key] === 'number' ? (entry[key] as number) : 0);
    result[dbId] = {
      quota: count('quota'),
      questions: count('questions'),
      accepted: count('accepted'),
      rejected: count('rejected'),
    };
  }
  return result;
}

function readUsage(stats: Record<string, unknown> | undefined): RunUsage | undefined {
  const usage = path(stats, ['usage']) as Record<string, unknown> | undefined;
  if (!usage || typeof usage.promptTokens !== 'number') return undefined;
  const byStage: RunUsage['byStage'] = {};
  for (const [stage, value] of Object.entries(
    (usage.byStage as Record<string, Record<string, unknown>> | undefined) ?? {},
  )) {
    byStage[stage] = {
      promptTokens: Number(value.promptTokens ?? 0),
      completionTokens: Number(value.completionTokens ?? 0),
      ...(typeof value.costUsd === 'number' ? { costUsd: value.costUsd } : {}),
      ...(typeof value.samples === 'number' ? { samples: value.samples } : {}),
      ...(typeof value.truncated === 'number' ? { truncated: value.truncated } : {}),
    };
  }
  return {
    ...(typeof usage.requests === 'number' ? { requests: usage.requests } : {}),
    promptTokens: usage.promptTokens,
    completionTokens: Number(usage.completionTokens ?? 0),
    ...(typeof usage.cachedTokens === 'number' ? { cachedTokens: usage.cachedTokens } : {}),
    ...(typeof usage.cacheWriteTokens === 'number' ? { cacheWriteTokens: usage.cacheWriteTokens } : {}),
    ...(typeof usage.truncated === 'number' ? { truncated: usage.truncated } : {}),
    ...(typeof usage.costUsd === 'number' ? { costUsd: usage.costUsd } : {}),
    byStage,
  };
}

function loadSchemas(db: string, dbIds: readonly (string | undefined)[]): Map<string, SqlSchema> {
  const databases = DatabaseSet.open(db);
  const schemas = new Map<string, SqlSchema>();
  const ids = databases.isFolder ? [...new Set(dbIds)] : [undefined];
  for (const id of ids) {
    const environment = databases.resolve(id);
    const handle = openReadOnly(environment.path);
    try {
      schemas.set(databases.isFolder ? environment.id : '', readSqliteSchema(handle));
    } finally {
      handle.close();
    }
  }
  return schemas;
}

/** `stats.json`'s `examples.byOrigin`, when it is there and well formed. */
function originsOf(stats: unknown): { origins?: Record<string, number> } {
  const origins = numberRecord(path(stats, ['examples', 'byOrigin']));
  return origins && Object.keys(origins).length > 0 ? { origins } : {};
}

/** `stats.json`'s `mix`, when it is there and well formed. */
function mixOf(stats: unknown): { mix?: ReportData['mix'] } {
  const source = path(stats, ['mix', 'source']);
  const programs = path(stats, ['mix', 'target', 'programs']);
  const divergence = numberRecord(path(stats, ['mix', 'divergence']));
  if (typeof source !== 'string' || typeof programs !== 'number' || !divergence) return {};
  return {
    mix: {
      source,
      programs,
      divergence: {
        hardness: divergence.hardness ?? 0,
        clauses: divergence.clauses ?? 0,
        tables: divergence.tables ?? 0,
      },
    },
  };
}

/** Counts of reviewed lines: `review.status` and `review.edited` as `symgen review` writes them. */
function reviewOf(examples: readonly { raw: Record<string, unknown> }[]): ReportData['review'] {
  const counts = { reviewed: 0, accepted: 0, rejected: 0, edited: 0 };
  for (const example of examples) {
    const review = example.raw.review as { status?: unknown; edited?: unknown } | undefined;
    if (typeof review !== 'object' || review === null) continue;
    counts.reviewed++;
    if (review.status === 'accepted') counts.accepted++;
    if (review.status === 'rejected') counts.rejected++;
    if (Array.isArray(review.edited) && review.edited.length > 0) counts.edited++;
  }
  return counts;
}

/**
 * The database a run directory was generated from (`knowledge.db` in the configuration its
 * run.sqlite stores), or undefined when the folder is no run or names none.
 */
function runDatabase(runDirectory: string): ReportData['database'] {
  if (!RunStore.exists(runDirectory)) return undefined;
  let db: unknown;
  try {
    const store = RunStore.open(runDirectory, { create: false });
    try {
      db = (JSON.parse(store.getMeta('config') ?? '{}') as { knowledge?: { db?: unknown } }).knowledge?.db;
    } finally {
      store.close();
    }
  } catch {
    return undefined;
  }
  if (typeof db !== 'string') return undefined;
  return existsSync(db) ? { path: db, from: 'run' } : { path: db, from: 'run', missing: true };
}

/** The run's files a reader may want, in this order, with what each holds. */
const DATA_FILES: readonly [string, string][] = [
  [RUN_FILES.dataset, 'accepted examples, one JSON line each'],
  [RUN_FILES.rejected, 'rejected examples, with the reason'],
  [RUN_FILES.stats, 'counts, usage and timings'],
  ['dataset.parquet', 'accepted examples as Parquet'],
  ['dataset.chat.jsonl', 'accepted examples as chat messages for fine-tuning'],
  [RUN_FILES.store, 'the run store (resume state, model response cache)'],
];

function runFiles(runDirectory: string, out: string): RunFile[] {
  const files: RunFile[] = [];
  for (const [name, what] of DATA_FILES) {
    const file = join(runDirectory, name);
    if (!existsSync(file)) continue;
    const href = relative(dirname(out), file).split(sep).map(encodeURIComponent).join('/');
    files.push({ name, what, href, bytes: statSync(file).size });
  }
  return files;
}

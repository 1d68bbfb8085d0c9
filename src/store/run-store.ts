import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../errors/index.js';
import { describeWriteFailure, makeOutputFolder } from '../io/output-path.js';
import type { LlmMessage } from '../llm/spec.js';

/** Where an example is: waiting for its candidates, or decided. */
export type ExampleState = 'question' | 'accepted' | 'rejected';

/** A `gen_q` prompt as stored: its messages are kept so a resumed run sends exactly the same request. */
export interface StoredPrompt {
  readonly id: string;
  readonly dbId: string;
  readonly index: number;
  readonly round: number;
  readonly state: 'pending' | 'done';
  readonly messages: LlmMessage[];
  readonly promptHash: string;
  readonly demonstrationIds: string[];
  readonly condition: unknown;
  readonly seed: number;
  /** What happened to the prompt's samples (kept, too-short, duplicate-exact, ...), once done. */
  readonly counts: Record<string, number>;
}

/** An example as stored. */
export interface StoredExample {
  readonly seq: number;
  readonly id: string;
  readonly dbId: string;
  readonly promptId: string | null;
  readonly question: string;
  readonly state: ExampleState;
  readonly reason: string | null;
  /** The dataset line, once decided. */
  readonly record: Record<string, unknown> | null;
}

/** A new question produced by a prompt. */
export interface NewQuestion {
  readonly id: string;
  readonly question: string;
  /** Normalised text; a database never holds two questions with the same key. */
  readonly key: string;
}

/** Counters of one call to the model, recorded per stage. */
export interface UsageEntry {
  readonly stage: string;
  /** Calls that reached the model (not served whole from the response cache). */
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  /** Prompt tokens written to the provider's prompt cache (5-minute and 1-hour writes). */
  readonly cacheWriteTokens: number;
  readonly costUsd: number;
  readonly samples: number;
  readonly cachedSamples: number;
  /** Samples cut off at the token limit (`finish_reason: length`): counted, never voted. */
  readonly truncated: number;
  readonly durationMs: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prompts (
  id TEXT PRIMARY KEY, db_id TEXT NOT NULL, idx INTEGER NOT NULL, round INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done')), messages TEXT NOT NULL, prompt_hash TEXT NOT NULL,
  demonstration_ids TEXT NOT NULL, condition TEXT, seed INTEGER NOT NULL, counts TEXT NOT NULL DEFAULT '{}',
  UNIQUE (db_id, idx));
CREATE TABLE IF NOT EXISTS examples (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, db_id TEXT NOT NULL, prompt_id TEXT,
  question TEXT NOT NULL, question_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('question', 'accepted', 'rejected')), reason TEXT, record TEXT,
  features TEXT, UNIQUE (db_id, question_key));
CREATE INDEX IF NOT EXISTS examples_state ON examples (state, seq);
CREATE TABLE IF NOT EXISTS usage (
  id INTEGER PRIMARY KEY AUTOINCREMENT, stage TEXT NOT NULL, requests INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL, samples INTEGER NOT NULL, cached_samples INTEGER NOT NULL, duration_ms REAL NOT NULL,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0, truncated INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, stage TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, ended_at TEXT, resumed INTEGER NOT NULL);
`;

/** Columns added after the first release, for run.sqlite files written before them. */
const ADDED_COLUMNS: readonly (readonly [table: string, column: string, definition: string])[] = [
  ['usage', 'cache_write_tokens', 'INTEGER NOT NULL DEFAULT 0'],
  ['usage', 'truncated', 'INTEGER NOT NULL DEFAULT 0'],
];

function addMissingColumns(database: Database.Database): void {
  for (const [table, column, definition] of ADDED_COLUMNS) {
    const columns = database.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((existing) => existing.name === column)) {
      database.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }
}

interface PromptRow {
  id: string;
  db_id: string;
  idx: number;
  round: number;
  state: 'pending' | 'done';
  messages: string;
  prompt_hash: string;
  demonstration_ids: string;
  condition: string | null;
  seed: number;
  counts: string;
}

interface ExampleRow {
  seq: number;
  id: string;
  db_id: string;
  prompt_id: string | null;
  question: string;
  state: ExampleState;
  reason: string | null;
  record: string | null;
}

/**
 * The run directory's `run.sqlite`: every prompt's and example's state, usage per call and (in the
 * same file, through `llm/cache`) the response cache. Each state change is one transaction, and WAL
 * mode keeps committed transactions through a kill, so a run killed at any moment resumes with no
 * example lost or duplicated.
 */
export class RunStore {
  readonly database: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private constructor(
    readonly dir: string,
    database: Database.Database,
  ) {
    this.database = database;
  }

  /** The path of `run.sqlite` in a run directory. */
  static file(dir: string): string {
    return join(dir, 'run.sqlite');
  }

  /** True when `dir` already holds a run. */
  static exists(dir: string): boolean {
    return existsSync(RunStore.file(dir));
  }

  /** Opens (creating the folder and file when `create`) the store of a run directory. */
  static open(dir: string, options: { create: boolean }): RunStore {
    if (!options.create && !RunStore.exists(dir)) {
      throw new InputError(`no run in ${dir} (run.sqlite not found); start one with symgen generate`, {
        file: RunStore.file(dir),
      });
    }
    makeOutputFolder(dir);
    let database: Database.Database | undefined;
    try {
      database = new Database(RunStore.file(dir));
      database.pragma('journal_mode = WAL');
      // NORMAL keeps every committed transaction through a process kill (only a power cut can lose the last ones)
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 5000');
      database.exec(SCHEMA);
      addMissingColumns(database);
    } catch (error) {
      database?.close();
      const why = describeWriteFailure(error);
      throw new InputError(`cannot open ${RunStore.file(dir)}: ${why ?? (error as Error).message}`, {
        file: RunStore.file(dir),
        cause: error,
      });
    }
    return new RunStore(dir, database);
  }

  /** A prepared statement, prepared once per store (preparing is most of a small query's cost). */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.database.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  getMeta(key: string): string | undefined {
    return (this.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)
      ?.value;
  }

  setMeta(key: string, value: string): void {
    this.sql('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** Records the start of a session (first run or resume); returns its id. */
  startSession(resumed: boolean): number {
    return Number(
      this.database
        .prepare('INSERT INTO sessions (started_at, resumed) VALUES (?, ?)')
        .run(new Date().toISOString(), resumed ? 1 : 0).lastInsertRowid,
    );
  }

  endSession(id: number): void {
    this.sql('UPDATE sessions SET ended_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  sessions(): { startedAt: string; endedAt: string | null; resumed: boolean }[] {
    return (
      this.sql('SELECT started_at, ended_at, resumed FROM sessions ORDER BY id').all() as {
        started_at: string;
        ended_at: string | null;
        resumed: number;
      }[]
    ).map((row) => ({ startedAt: row.started_at, endedAt: row.ended_at, resumed: row.resumed === 1 }));
  }

  /** Adds prompts (pending) in one transaction; an existing id is left as it is. */
  addPrompts(prompts: readonly Omit<StoredPrompt, 'state' | 'counts'>[]): void {
    const insert = this.sql(
      `INSERT OR IGNORE INTO prompts (id, db_id, idx, round, state, messages, prompt_hash, demonstration_ids, condition, seed)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
    );
    this.database.transaction(() => {
      for (const prompt of prompts) {
        insert.run(
          prompt.id,
          prompt.dbId,
          prompt.index,
          prompt.round,
          JSON.stringify(prompt.messages),
          prompt.promptHash,
          JSON.stringify(prompt.demonstrationIds),
          prompt.condition === undefined ? null : JSON.stringify(prompt.condition),
          prompt.seed,
        );
      }
    })();
  }

  prompts(filter: { state?: 'pending' | 'done'; dbId?: string } = {}): StoredPrompt[] {
    const rows = this.database
      .prepare(
        `SELECT * FROM prompts WHERE (@state IS NULL OR state = @state) AND (@db IS NULL OR db_id = @db) ORDER BY round, db_id, idx`,
      )
      .all({ state: filter.state ?? null, db: filter.dbId ?? null }) as PromptRow[];
    return rows.map(toPrompt);
  }

  /** Next free prompt index of a database. */
  nextPromptIndex(dbId: string): number {
    const row = this.sql('SELECT max(idx) AS last FROM prompts WHERE db_id = ?').get(dbId) as {
      last: number | null;
    };
    return row.last === null ? 0 : row.last + 1;
  }

  /** Highest round number so far (-1 when none). */
  lastRound(): number {
    const row = this.sql('SELECT max(round) AS last FROM prompts').get() as {
      last: number | null;
    };
    return row.last ?? -1;
  }

  /**
   * Ends a prompt in one transaction: inserts its new questions (skipping ones whose key the database
   * already has, and stopping at `quota` questions for the database) and marks the prompt done with
   * its counts. Returns the number of questions kept.
   */
  completePrompt(
    promptId: string,
    dbId: string,
    questions: readonly NewQuestion[],
    quota: number,
    counts: Record<string, number>,
  ): number {
    const countDb = this.sql('SELECT count(*) AS n FROM examples WHERE db_id = ?');
    const insert = this.sql(
      `INSERT OR IGNORE INTO examples (id, db_id, prompt_id, question, question_key, state) VALUES (?, ?, ?, ?, ?, 'question')`,
    );
    const finish = this.sql(`UPDATE prompts SET state = 'done', counts = ? WHERE id = ?`);
    return this.database.transaction(() => {
      let have = (countDb.get(dbId) as { n: number }).n;
      let kept = 0;
      const tally = { ...counts };
      for (const question of questions) {
        if (have >= quota) {
          tally['over-quota'] = (tally['over-quota'] ?? 0) + 1;
          continue;
        }
        if (insert.run(question.id, dbId, promptId, question.question, question.key).changes === 1) {
          kept++;
          have++;
        } else {
          tally['duplicate-normalised'] = (tally['duplicate-normalised'] ?? 0) + 1;
        }
      }
      tally.kept = kept;
      finish.run(JSON.stringify(tally), promptId);
      return kept;
    })();
  }

  /** Question keys a database already holds (to drop duplicates before they reach the store). */
  questionKeys(dbId: string): Set<string> {
    const rows = this.sql('SELECT question_key FROM examples WHERE db_id = ?').all(dbId) as {
      question_key: string;
    }[];
    return new Set(rows.map((row) => row.question_key));
  }

  /** The questions a source already holds with their keys, in order (to rebuild the question filter). */
  questions(dbId: string): { question: string; key: string }[] {
    return (
      this.sql('SELECT question, question_key FROM examples WHERE db_id = ? ORDER BY seq').all(dbId) as {
        question: string;
        question_key: string;
      }[]
    ).map((row) => ({ question: row.question, key: row.question_key }));
  }

  /** Examples per database, all states. */
  countByDatabase(): Map<string, number> {
    const rows = this.sql('SELECT db_id, count(*) AS n FROM examples GROUP BY db_id').all() as {
      db_id: string;
      n: number;
    }[];
    return new Map(rows.map((row) => [row.db_id, row.n]));
  }

  /** Examples in a state, in order. */
  examples(state?: ExampleState): StoredExample[] {
    const rows = (
      state === undefined
        ? this.sql('SELECT * FROM examples ORDER BY seq').all()
        : this.sql('SELECT * FROM examples WHERE state = ? ORDER BY seq').all(state)
    ) as ExampleRow[];
    return rows.map(toExample);
  }

  /** Number of examples per state. */
  countByState(): Record<ExampleState, number> {
    const counts: Record<ExampleState, number> = { question: 0, accepted: 0, rejected: 0 };
    for (const row of this.database
      .prepare('SELECT state, count(*) AS n FROM examples GROUP BY state')
      .all() as {
      state: ExampleState;
      n: number;
    }[])
      counts[row.state] = row.n;
    return counts;
  }

  /** Decides an example (one transaction): its dataset line, state and features. */
  decide(
    id: string,
    decision: {
      status: 'accepted' | 'rejected';
      reason?: string;
      record: Record<string, unknown>;
      features?: unknown;
    },
  ): void {
    this.database
      .prepare(
        `UPDATE examples SET state = ?, reason = ?, record = ?, features = ? WHERE id = ? AND state = 'question'`,
      )
      .run(
        decision.status,
        decision.reason ?? null,
        JSON.stringify(decision.record),
        decision.features === undefined ? null : JSON.stringify(decision.features),
        id,
      );
  }

  /**
   * Inserts an already decided example (the offline generator writes question and program at once).
   * Returns false when its id or question was there already.
   */
  insertDecided(example: {
    id: string;
    dbId: string;
    question: string;
    key: string;
    status: 'accepted' | 'rejected';
    reason?: string;
    record: Record<string, unknown>;
    features?: unknown;
  }): boolean {
    return (
      this.database
        .prepare(
          `INSERT OR IGNORE INTO examples (id, db_id, prompt_id, question, question_key, state, reason, record, features)
           VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          example.id,
          example.dbId,
          example.question,
          example.key,
          example.status,
          example.reason ?? null,
          JSON.stringify(example.record),
          example.features === undefined ? null : JSON.stringify(example.features),
        ).changes === 1
    );
  }

  /** Features of decided examples (to let an adaptive condition sampler catch up after a resume). */
  acceptedFeatures(): unknown[] {
    return (
      this.database
        .prepare(
          `SELECT features FROM examples WHERE state = 'accepted' AND features IS NOT NULL ORDER BY seq`,
        )
        .all() as { features: string }[]
    ).map((row) => JSON.parse(row.features) as unknown);
  }

  recordUsage(entry: UsageEntry): void {
    this.database
      .prepare(
        `INSERT INTO usage (stage, requests, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost_usd, samples, cached_samples, truncated, duration_ms)
         VALUES (@stage, @requests, @promptTokens, @completionTokens, @cachedTokens, @cacheWriteTokens, @costUsd, @samples, @cachedSamples, @truncated, @durationMs)`,
      )
      .run(entry);
  }

  /** Records one request as it is sent to the model (before its answer, so a kill cannot lose it). */
  recordAttempt(stage: string): void {
    this.sql('INSERT INTO attempts (stage) VALUES (?)').run(stage);
  }

  /** Requests sent to the model, per stage, over every session. */
  attemptsByStage(): Record<string, number> {
    const rows = this.sql(
      'SELECT stage, count(*) AS n FROM attempts GROUP BY stage ORDER BY stage',
    ).all() as {
      stage: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.stage, row.n]));
  }

  /** Samples the model gave that the run holds (the response cache's entries; none offline). */
  storedSamples(): number {
    const table = this.sql(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'llm_cache'`).get();
    if (!table) return 0;
    return (this.sql('SELECT count(*) AS n FROM llm_cache').get() as { n: number }).n;
  }

  /** Usage summed per stage. */
  usageByStage(): Record<string, Omit<UsageEntry, 'stage'> & { calls: number }> {
    const rows = this.database
      .prepare(
        `SELECT stage, count(*) AS calls, sum(requests) AS requests, sum(prompt_tokens) AS promptTokens,
           sum(completion_tokens) AS completionTokens, sum(cached_tokens) AS cachedTokens,
           sum(cache_write_tokens) AS cacheWriteTokens, sum(cost_usd) AS costUsd, sum(samples) AS samples,
           sum(cached_samples) AS cachedSamples, sum(truncated) AS truncated, sum(duration_ms) AS durationMs
         FROM usage GROUP BY stage ORDER BY stage`,
      )
      .all() as (Omit<UsageEntry, 'stage'> & { stage: string; calls: number })[];
    return Object.fromEntries(rows.map(({ stage, ...rest }) => [stage, rest]));
  }

  close(): void {
    if (this.database.open) this.database.close();
  }
}

function toPrompt(row: PromptRow): StoredPrompt {
  return {
    id: row.id,
    dbId: row.db_id,
    index: row.idx,
    round: row.round,
    state: row.state,
    messages: JSON.parse(row.messages) as LlmMessage[],
    promptHash: row.prompt_hash,
    demonstrationIds: JSON.parse(row.demonstration_ids) as string[],
    condition: row.condition === null ? undefined : (JSON.parse(row.condition) as unknown),
    seed: row.seed,
    counts: JSON.parse(row.counts) as Record<string, number>,
  };
}

function toExample(row: ExampleRow): StoredExample {
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

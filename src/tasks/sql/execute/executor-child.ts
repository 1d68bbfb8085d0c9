/**
 * The SQLite executor process. It opens databases read-only and query-only, refuses anything but a
 * read-only query, runs it under row and byte caps and answers with result keys (and, when asked,
 * the real parser's canonical form). The parent enforces the time budget by killing this process,
 * so nothing here needs to be interruptible.
 */
import Database from 'better-sqlite3';
import { normaliseSql } from '../normalise.js';
import { formatSql, loadSqlParser } from '../parse.js';
import { openReadOnly } from '../schema.js';
import { ConnectionCache } from './connection-cache.js';
import { refusalReasonNormalised } from './guard.js';
import { sharesAcrossTexts } from './program-cache.js';
import type { ChildMessage, ParentMessage, SqliteJob, SqliteJobResult, SqliteLimits } from './protocol.js';
import { firstLine, runStatement, type StatementResult } from './run-statement.js';

// Failing candidates are common and only their message is kept: skip capturing stack traces.
Error.stackTraceLimit = 0;

const FLUSH_MS = 10;
const cache = new Map<string, StatementResult>();
let limits: SqliteLimits | undefined;
let parserReady = false;

function send(message: ChildMessage): void {
  process.send?.(message);
}

const connections = new ConnectionCache((dbPath) => {
  const db = openReadOnly(dbPath);
  db.pragma(`hard_heap_limit = ${Math.floor(limits!.heapLimitBytes)}`);
  return db;
});

/** The parser's canonical form; undefined before the parser loaded or when the SQL does not parse. */
function canonical(sql: string): string | undefined {
  return parserReady ? (formatSql(sql) ?? undefined) : undefined;
}

const WARM_UP_QUERIES = [
  "SELECT a.x, count(*) FROM t AS a JOIN u ON a.id = u.id WHERE a.y LIKE '%z%' OR a.z > 1 GROUP BY a.x HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 3",
  'SELECT name FROM t WHERE id IN (SELECT id FROM u WHERE v = (SELECT max(v) FROM u)) UNION SELECT name FROM w',
  'SELECT DISTINCT x FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a) AND b BETWEEN 1 AND 2',
  'SELECT count(*) FROM',
];

/**
 * The WebAssembly parser runs several times slower until the engine has optimised it; an executor
 * sees each program once, so it warms up on a few queries while the parent is still reading input.
 */
function warmParser(): void {
  for (let round = 0; round < 300; round++) {
    for (const query of WARM_UP_QUERIES) canonical(query);
  }
}

function run(job: SqliteJob): StatementResult {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  const refusal = refusalReasonNormalised(job.textKey);
  if (refusal) return { status: 'refused', error: refusal, durationMs: elapsed() };
  // The parent's cache already answers equal text normal forms; with the real parser on, programs
  // that differ in text but print alike share one execution here.
  if (!limits!.parserCanonical) return execute(job, undefined, started);
  const normalised = canonical(job.sql);
  const cacheKey = `${job.dbPath}\u0000${normalised ? normaliseSql(normalised) : job.textKey}`;
  const hit = cache.get(cacheKey);
  if (hit && sharesAcrossTexts(hit)) return { ...hit, cached: true };
  const result = execute(job, normalised, started);
  if (!hit) cache.set(cacheKey, result);
  return result;
}

function execute(job: SqliteJob, normalised: string | undefined, started: number): StatementResult {
  return runStatement(connections.get(job.dbPath), job, limits!, started, normalised);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'init') {
    limits = message.limits;
    const version = (new Database(':memory:').prepare('select sqlite_version() as v').get() as { v: string })
      .v;
    if (!limits.parserCanonical) {
      send({ type: 'ready', sqliteVersion: version });
      return;
    }
    loadSqlParser()
      .then(() => {
        parserReady = true;
        warmParser();
      })
      .catch(() => {
        // Without the parser, normalisation falls back to text; execution is unaffected.
      })
      .finally(() => send({ type: 'ready', sqliteVersion: version }));
    return;
  }
  // Results go back in batches: one message per job would cost more than a typical statement.
  // A batch is flushed at least every FLUSH_MS, so the parent's watchdog, which counts from the last
  // message, still measures the running statement (plus at most FLUSH_MS).
  let batch: SqliteJobResult[] = [];
  let lastFlush = performance.now();
  for (const job of message.jobs) {
    let result: StatementResult;
    try {
      result = run(job);
    } catch (error) {
      result = { status: 'error', error: firstLine(error), durationMs: 0 };
    }
    batch.push({ ...result, id: job.id });
    if (performance.now() - lastFlush >= FLUSH_MS) {
      send({ type: 'results', results: batch });
      batch = [];
      lastFlush = performance.now();
    }
  }
  if (batch.length > 0) send({ type: 'results', results: batch });
});

process.on('disconnect', () => process.exit(0));

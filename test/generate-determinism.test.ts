import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { createLlmTestServer, createScriptedTaskModel, type LlmTestServer } from '../src/testing/index.js';
import { generateCases, storedQuestion } from './task-cases.js';

const ROOT = join(import.meta.dirname, '..');
const folder = mkdtempSync(join(tmpdir(), 'symgen-determinism-'));

/** A seeded generator of latencies, so each server answers in its own, replayable, order. */
function latencies(seed: number, maxMs: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * maxMs);
  };
}

/** What must not depend on concurrency, arrival order or kills: the files and the stored prompts. */
function snapshot(out: string) {
  const db = new Database(join(out, 'run.sqlite'), { readonly: true });
  const prompts = db
    .prepare(
      'SELECT id, db_id, idx, round, state, messages, prompt_hash, demonstration_ids, condition, seed, counts FROM prompts ORDER BY id',
    )
    .all();
  const examples = db.prepare('SELECT seq, id, question, state FROM examples ORDER BY seq').all();
  db.close();
  const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
  return {
    dataset: readFileSync(join(out, 'dataset.jsonl'), 'utf8'),
    rejected: readFileSync(join(out, 'rejected.jsonl'), 'utf8'),
    prompts,
    examples,
    // timings, sessions and request counts describe the sessions, not the data
    stats: {
      stages: stats.stages,
      examples: stats.examples,
      byDatabase: stats.byDatabase,
      coverage: stats.coverage,
    },
  };
}

describe('symgen generate is deterministic', () => {
  const [sql] = generateCases(folder, 60);
  const task = sql!.task;
  const servers: LlmTestServer[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const server of servers) await server.close();
  });
  const serve = async (seed: number, maxLatencyMs = 60) => {
    const server = await createLlmTestServer({
      respond: createScriptedTaskModel({
        items: sql!.items,
        asked: (question) => storedQuestion(task, question),
        fence: sql!.fence,
        latencyMs: latencies(seed, maxLatencyMs),
      }),
    });
    servers.push(server);
    return server;
  };
  const args = (out: string, server: LlmTestServer, concurrency: number) => [
    'generate',
    '--task',
    'sql',
    ...sql!.flags,
    '--demos',
    sql!.demos,
    '--count',
    '30',
    '--out',
    out,
    '--model',
    'scripted',
    '--base-url',
    server.baseURL,
    '--questions-per-prompt',
    '6',
    '--candidates',
    '6',
    '--min-votes',
    '3',
    '--concurrency',
    String(concurrency),
    '--seed',
    '11',
  ];

  it('gives byte-identical files and prompts whatever the concurrency, the arrival order and kills', async () => {
    const first = join(folder, 'first');
    const second = join(folder, 'second');
    expect(await main(args(first, await serve(1), 16))).toBe(0);
    expect(await main(args(second, await serve(2), 3))).toBe(0);
    const expected = snapshot(first);
    expect(expected.dataset.split('\n').filter(Boolean).length).toBeGreaterThan(5);
    expect(expected.rejected.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(snapshot(second)).toEqual(expected);

    // a third run killed twice with SIGKILL at seeded moments, then resumed to the end
    const killed = join(folder, 'killed');
    // slower answers here, so that a run cannot finish inside the seeded wait before its kill
    const server = await serve(3, 400);
    const run = (resume: boolean) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'test', 'run-cli.ts'),
          ...args(killed, server, 8),
          ...(resume ? ['--resume'] : []),
        ],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
      );
      return { child, exited };
    };
    const wait = latencies(7, 600);
    let kills = 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { child, exited } = run(attempt > 0);
      const before = server.requests.length;
      const deadline = Date.now() + 15_000;
      while (server.requests.length === before && child.exitCode === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 150 + wait()));
      if (child.exitCode !== null) break;
      child.kill('SIGKILL');
      const ended = await exited;
      // the run may have finished on its own between the check above and the kill
      if (ended.signal !== 'SIGKILL') {
        expect(ended.code, ended.stderr).toBe(0);
        break;
      }
      kills++;
    }
    const final = await run(kills > 0).exited;
    expect(final.code, final.stderr).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(snapshot(killed)).toEqual(expected);
  }, 180_000);
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { DatabaseError } from '../../../errors/index.js';
import { resolveSqliteLimits } from '../execute/protocol.js';
import { SqliteRunner } from '../execute/sqlite-runner.js';
import { normaliseSql } from '../normalise.js';
import { verifySqlFile } from '../verify-file.js';
import { SqlThread } from './sql-thread.js';
import { VerifyThreadPool } from './verify-threaded.js';

const geography = { id: 'geography', path: GEOGRAPHY_DB };
const PROGRAMS = [
  'SELECT state_name FROM state WHERE population > 5000000',
  'select STATE_NAME from STATE where POPULATION > 5000000',
  'SELECT state_name FROM state WHERE population > 5000000',
  'SELECT city_name FROM city ORDER BY population DESC LIMIT 3',
  'SELECT nosuch FROM state',
  'SELECT NOSUCH FROM state',
  'DELETE FROM state',
  'SELECT count(*) FROM border_info',
];

async function ready(thread: SqlThread): Promise<void> {
  for (let waited = 0; !thread.ready; waited += 10) {
    if (waited > 10_000) throw new Error('the SQL thread did not load');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the SQL thread', () => {
  const threads: SqlThread[] = [];
  afterAll(async () => {
    await Promise.all(threads.map((thread) => thread.close()));
  });
  const start = () => {
    const thread = new SqlThread();
    threads.push(thread);
    return thread;
  };

  it('answers a batch as a runner in this thread answers the same calls in the same order', async () => {
    const limits = resolveSqliteLimits({ timeoutMs: 2000 });
    const thread = start();
    await ready(thread);
    thread.init(limits);
    const pending = PROGRAMS.map((program) =>
      thread.execute(program, geography, { normalised: normaliseSql(program) }),
    );
    const executed = thread.flush();
    const remote = await Promise.all(pending);
    const runner = new SqliteRunner(limits);
    const local = PROGRAMS.map((program) => runner.run(program, geography, normaliseSql(program)));
    runner.closeSync();
    const timeless = (result: object) => ({ ...result, durationMs: 0 });
    expect(remote.map(timeless)).toEqual(local.map(timeless));
    // Each text ran once, except the repeat and the case variant of a statement that compiled (and
    // the refused DELETE, which never runs).
    expect(await executed).toBe(runner.stats.executed);
    expect(await executed).toBe(5);
    expect(remote.map((result) => result.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'error',
      'error',
      'refused',
      'ok',
    ]);
    // A result sent once is the same object when it answers again.
    expect(remote[2]).toBe(remote[0]);
    // Calls made in one turn without a flush go together too.
    const later = await thread.execute('SELECT count(*) FROM state', geography);
    expect(later).toMatchObject({ status: 'ok', size: 1 });
  });

  it('rejects every waiting call with the database error when a database cannot be opened', async () => {
    const thread = start();
    thread.init(resolveSqliteLimits({}));
    const missing = {
      id: 'gone',
      path: join(mkdtempSync(join(tmpdir(), 'symgen-sql-thread-')), 'gone.sqlite'),
    };
    const calls = [thread.execute('SELECT 1', missing), thread.execute('SELECT 2', missing)];
    await expect(calls[0]).rejects.toThrow(DatabaseError);
    await expect(calls[1]).rejects.toThrow(DatabaseError);
    await expect(thread.execute('SELECT 3', geography)).rejects.toThrow(DatabaseError);
  });

  it('verifies a file with the parser canonical form, every statement on the SQL thread', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'symgen-sql-thread-'));
    const input = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      '..',
      'examples',
      'geoquery',
      'candidates.jsonl',
    );
    const outputs = { one: join(folder, 'one.jsonl'), two: join(folder, 'two.jsonl') };
    for (const [threads, output] of [
      [1, outputs.one],
      [2, outputs.two],
    ] as const) {
      await verifySqlFile({
        db: GEOGRAPHY_DB,
        input,
        output,
        minVotes: 2,
        normalise: 'parser',
        threads: VerifyThreadPool.start(threads, { mainThread: true }),
      });
    }
    expect(existsSync(outputs.two)).toBe(true);
    expect(readFileSync(outputs.two, 'utf8')).toBe(readFileSync(outputs.one, 'utf8'));
  });
});

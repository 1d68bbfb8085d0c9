import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, SPIDER_DATABASES } from '../../../../test/shared-data.js';
import { DatabaseError } from '../../../errors/index.js';
import { verifySqlFile } from '../verify-file.js';
import { VerifyThreadPool } from './verify-threaded.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-threads-'));
const EXAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'geoquery', 'candidates.jsonl');
const read = (path: string) => readFileSync(path, 'utf8');

/** The example file repeated (ids renumbered) so that it spans many chunks of both threads. */
function largeInput(): string {
  const lines = read(EXAMPLE).trim().split('\n');
  const out: string[] = [];
  for (let copy = 0; copy < 8; copy++) {
    for (const line of lines) out.push(JSON.stringify({ ...JSON.parse(line), id: `${copy}-${out.length}` }));
  }
  const path = join(folder, 'large.jsonl');
  writeFileSync(path, `${out.join('\n')}\n`);
  return path;
}

/** One example whose `db_id` names no database in the Spider folder. */
function missingDatabaseInput(): string {
  const path = join(folder, 'missing-db.jsonl');
  writeFileSync(path, `${JSON.stringify({ id: 1, db_id: 'no_such_db', candidates: ['SELECT 1'] })}\n`);
  return path;
}

describe('verifySqlFile on worker threads', () => {
  const input = largeInput();

  it('writes what the executor processes write, byte for byte, with one thread', async () => {
    const threads = join(folder, 'threads-1.jsonl');
    const processes = join(folder, 'processes.jsonl');
    const a = await verifySqlFile({
      db: GEOGRAPHY_DB,
      input,
      output: threads,
      minVotes: 2,
      workers: 1,
      executor: 'threads',
    });
    const b = await verifySqlFile({
      db: GEOGRAPHY_DB,
      input,
      output: processes,
      minVotes: 2,
      executor: 'processes',
    });
    expect(read(threads)).toBe(read(processes));
    expect({ ...a, durationMs: 0 }).toEqual({ ...b, durationMs: 0 });
    expect(a.examples).toBe(480);
  });

  it('writes the same bytes on two threads as on one, on every run', async () => {
    const one = join(folder, 'threads-1b.jsonl');
    const first = join(folder, 'threads-2a.jsonl');
    const second = join(folder, 'threads-2b.jsonl');
    await verifySqlFile({
      db: GEOGRAPHY_DB,
      input,
      output: one,
      minVotes: 2,
      workers: 1,
      executor: 'threads',
    });
    const progress: number[] = [];
    await verifySqlFile({
      db: GEOGRAPHY_DB,
      input,
      output: first,
      minVotes: 2,
      workers: 2,
      executor: 'threads',
      onProgress: (summary) => progress.push(summary.examples),
    });
    await verifySqlFile({
      db: GEOGRAPHY_DB,
      input,
      output: second,
      minVotes: 2,
      workers: 2,
      executor: 'threads',
    });
    // Chunks go to whichever thread is free, so each thread's cache sees different programs; the
    // bytes still match one thread's, and so the executor processes'.
    expect(read(first)).toBe(read(second));
    expect(read(first)).toBe(read(one));
    expect(read(first)).toBe(read(join(folder, 'processes.jsonl')));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(480);
  });

  it('writes the same bytes when the calling thread verifies too, alone or beside a worker', async () => {
    for (const threads of [1, 2]) {
      const output = join(folder, `main-thread-${threads}.jsonl`);
      const progress: number[] = [];
      const summary = await verifySqlFile({
        db: GEOGRAPHY_DB,
        input,
        output,
        minVotes: 2,
        threads: VerifyThreadPool.start(threads, { mainThread: true }),
        onProgress: (running) => progress.push(running.examples),
      });
      expect(read(output)).toBe(read(join(folder, 'processes.jsonl')));
      expect(summary.examples).toBe(480);
      expect(progress.at(-1)).toBe(480);
    }
    // A whole-run failure in the calling thread fails the run as a worker's does.
    await expect(
      verifySqlFile({
        db: SPIDER_DATABASES,
        input: missingDatabaseInput(),
        output: join(folder, 'never-written.jsonl'),
        threads: VerifyThreadPool.start(1, { mainThread: true }),
      }),
    ).rejects.toThrow(DatabaseError);
    expect(existsSync(join(folder, 'never-written.jsonl'))).toBe(false);
  });

  it('rejects catalogue tables and pragma functions as answers, alike in threads and in executor processes', async () => {
    const path = join(folder, 'catalogue.jsonl');
    const samples = (program: string) => Array.from({ length: 5 }, () => program);
    const examples = [
      {
        id: 'master',
        question: 'how many states are there',
        candidates: samples('SELECT * FROM sqlite_master'),
      },
      {
        id: 'pragma',
        question: 'which rivers are longest',
        candidates: samples('SELECT * FROM pragma_database_list'),
      },
      {
        id: 'mixed',
        question: 'how many states are there',
        candidates: [...samples('SELECT count(*) FROM sqlite_schema'), 'SELECT count(*) FROM state'],
      },
    ];
    writeFileSync(path, `${examples.map((example) => JSON.stringify(example)).join('\n')}\n`);
    const outputs: string[] = [];
    for (const executor of ['threads', 'processes'] as const) {
      const output = join(folder, `catalogue-${executor}.jsonl`);
      await verifySqlFile({ db: GEOGRAPHY_DB, input: path, output, minVotes: 1, executor, workers: 1 });
      outputs.push(read(output));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[0]).not.toContain(GEOGRAPHY_DB);
    const lines = outputs[0]!
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.status)).toEqual(['rejected', 'rejected', 'accepted']);
    expect(lines[2].program).toBe('SELECT count(*) FROM state');
    expect(outputs[0]).toContain("only the database's own tables may be read (got sqlite_master");
  });

  it('reports bad lines with their numbers, skips blank ones, reads CRLF, and verifies the rest', async () => {
    const good = read(EXAMPLE).trim().split('\n').slice(0, 2);
    const path = join(folder, 'mixed.jsonl');
    writeFileSync(
      path,
      [good[0], '{not json', '', '{"id": 7, "candidates": "SELECT 1"}', `${good[1]}\r`, '[1, 2]'].join('\n'),
    );
    const output = join(folder, 'mixed-out.jsonl');
    const summary = await verifySqlFile({ db: GEOGRAPHY_DB, input: path, output, executor: 'threads' });
    const lines = read(output)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.reason ?? line.status)).toEqual([
      // the first example's winning candidates compare highlow.lowest_elevation (TEXT) with a number
      'type-trap',
      'invalid-input',
      'invalid-input',
      'accepted',
      'invalid-input',
    ]);
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^line 2 is not valid JSON/) });
    expect(lines[2]).toMatchObject({
      line: 4,
      error: 'line 4: candidates: expected an array, got string "SELECT 1"',
    });
    expect(lines[4]).toMatchObject({ line: 6, error: 'line 6: line: expected an object, got an array' });
    expect(summary.reasons['invalid-input']).toBe(3);
  });

  it('marks a runaway candidate as timed out and verifies the rest of its example', async () => {
    const path = join(folder, 'runaway.jsonl');
    const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
    writeFileSync(
      path,
      `${JSON.stringify({ id: 1, candidates: [runaway, 'SELECT count(*) FROM state', 'SELECT count(*) FROM state'] })}\n`,
    );
    const output = join(folder, 'runaway-out.jsonl');
    await verifySqlFile({
      db: GEOGRAPHY_DB,
      input: path,
      output,
      timeoutMs: 200,
      executor: 'threads',
      keepCandidates: true,
    });
    const [line] = read(output)
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(line).toMatchObject({ status: 'accepted', program: 'SELECT count(*) FROM state', votes: 2 });
    expect(line.candidates[0]).toMatchObject({ status: 'timeout' });
  });

  it('reuses the shared threads from one call to the next, and starts afresh after a failed run', async () => {
    const first = VerifyThreadPool.shared(2);
    const output = join(folder, 'shared-a.jsonl');
    await verifySqlFile({
      db: GEOGRAPHY_DB,
      input: EXAMPLE,
      output,
      minVotes: 2,
      workers: 2,
      executor: 'threads',
    });
    expect(VerifyThreadPool.shared(2)).toBe(first);
    const again = join(folder, 'shared-b.jsonl');
    await verifySqlFile({
      db: GEOGRAPHY_DB,
      input: EXAMPLE,
      output: again,
      minVotes: 2,
      workers: 2,
      executor: 'threads',
    });
    expect(read(again)).toBe(read(output));
    const missing = join(folder, 'shared-missing.jsonl');
    writeFileSync(missing, `${JSON.stringify({ id: 1, db_id: 'nope', candidates: ['SELECT 1'] })}\n`);
    await expect(
      verifySqlFile({ db: SPIDER_DATABASES, input: missing, output: join(folder, 'x.jsonl'), workers: 2 }),
    ).rejects.toThrow(DatabaseError);
    expect(VerifyThreadPool.shared(2)).not.toBe(first);
  });

  it('fails the whole run on a missing database, writing nothing and keeping an older output', async () => {
    const path = missingDatabaseInput();
    const output = join(folder, 'kept.jsonl');
    writeFileSync(output, 'older output\n');
    await expect(
      verifySqlFile({ db: SPIDER_DATABASES, input: path, output, executor: 'threads' }),
    ).rejects.toThrow(DatabaseError);
    expect(read(output)).toBe('older output\n');
  });
});

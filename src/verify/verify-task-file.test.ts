import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../test/shared-data.js';
import { ConfigError } from '../errors/index.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { sqlTask, verifySqlFile } from '../tasks/sql/index.js';
import { createStructuralExecutor } from '../tasks/structural-executor.js';
import { emptyVerifySummary } from './summary.js';
import { type TaskVerifyFileRequest, verifyTaskFile } from './verify-task-file.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-verify-task-file-'));
const CANDIDATES = join(import.meta.dirname, '..', '..', 'examples', 'geoquery', 'candidates.jsonl');

/** A task whose programs are words; equal after lower-casing. */
const words: TaskPlugin = {
  id: 'words',
  extract: (text) => text.trim() || null,
  normalise: (program) => program.toLowerCase(),
  createExecutor: () => createStructuralExecutor((program) => ({ ok: true, key: program.toLowerCase() })),
};

describe('verifyTaskFile: one path for every task', () => {
  it('hands a task with its own verifyFile the checked request, and runs the stream for the others', async () => {
    const input = join(folder, 'words.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 1, candidates: ['Yes', 'yes', 'no'] })}\n`);
    const requests: TaskVerifyFileRequest[] = [];
    const own: TaskPlugin = {
      ...words,
      verifyFile: async (request) => {
        requests.push(request);
        return { ...emptyVerifySummary(), examples: 7 };
      },
    };
    const summary = await verifyTaskFile({
      task: own,
      taskOptions: { db: 'x' },
      input,
      output: join(folder, 'own.jsonl'),
      minVotes: 2,
      ownsThread: true,
    });
    expect(summary.examples).toBe(7);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ input, taskOptions: { db: 'x' }, ownsThread: true });
    // The options arrive checked and with their defaults.
    expect(requests[0]!.options).toMatchObject({
      minVotes: 2,
      count: 'samples',
      tie: 'logprob',
      window: 256,
    });
    await expect(
      verifyTaskFile({ task: own, input, output: join(folder, 'bad.jsonl'), minVotes: -1 }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(requests).toHaveLength(1);

    const output = join(folder, 'words-out.jsonl');
    const stream = await verifyTaskFile({ task: words, input, output, minVotes: 2 });
    expect(stream).toMatchObject({ examples: 1, accepted: 1 });
    expect(JSON.parse(readFileSync(output, 'utf8'))).toMatchObject({ status: 'accepted', program: 'Yes' });
  });

  it('verifies SQL through the task, byte for byte as verifySqlFile does, on threads and on processes', async () => {
    for (const executor of ['threads', 'processes'] as const) {
      const viaTask = join(folder, `task-${executor}.jsonl`);
      const direct = join(folder, `direct-${executor}.jsonl`);
      await verifyTaskFile({
        task: sqlTask as TaskPlugin<never>,
        taskOptions: { db: GEOGRAPHY_DB } as never,
        input: CANDIDATES,
        output: viaTask,
        minVotes: 2,
        executor,
        workers: 2,
      });
      await verifySqlFile({
        db: GEOGRAPHY_DB,
        input: CANDIDATES,
        output: direct,
        minVotes: 2,
        executor,
        workers: 2,
      });
      expect(readFileSync(viaTask, 'utf8')).toBe(readFileSync(direct, 'utf8'));
      expect(readFileSync(viaTask, 'utf8')).toContain('"task":"sql"');
    }
  });

  it('names --db when the SQL task is given no databases', async () => {
    await expect(
      verifyTaskFile({
        task: sqlTask as TaskPlugin<never>,
        input: CANDIDATES,
        output: join(folder, 'x.jsonl'),
      }),
    ).rejects.toThrow('--db: the sql task needs --db PATH');
  });
});

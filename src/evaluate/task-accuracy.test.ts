import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionResult, TaskPlugin } from '../tasks/spec.js';
import { evaluateTask } from './task-accuracy.js';

// A toy task: a program is a comma-separated list of numbers; its key is the list as written.
const listTask: TaskPlugin = {
  id: 'list',
  extract: (text) => (text.trim() === '' ? null : text.trim()),
  normalise: (program) => program.replace(/\s+/g, ''),
  createExecutor: () => ({
    execute: async (program): Promise<ExecutionResult> =>
      /^[\d,\s]+$/.test(program)
        ? { status: 'ok', key: program.replace(/\s+/g, ''), durationMs: 0 }
        : { status: 'error', error: 'not a list', durationMs: 0 },
    close: async () => {},
  }),
};
// The same task, judging a prediction correct when it holds the gold's numbers in any order.
const bagTask: TaskPlugin = {
  ...listTask,
  id: 'bag',
  matches: (predicted, gold) =>
    predicted.status === 'ok' &&
    gold.status === 'ok' &&
    predicted.key!.split(',').sort().join() === gold.key!.split(',').sort().join(),
};

const folder = mkdtempSync(join(tmpdir(), 'symgen-task-accuracy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const gold = join(folder, 'gold.txt');
const predictions = join(folder, 'pred.txt');
writeFileSync(gold, '1,2,3\n4,5\n6\n');
writeFileSync(predictions, '1,2,3\n5,4\nnope\n');

describe('evaluateTask', () => {
  it('compares result keys when the task has no matches', async () => {
    const evaluation = await evaluateTask({ task: listTask, gold, predictions });
    expect(evaluation.examples.map((example) => example.correct)).toEqual([1, 0, 0]);
    expect(evaluation.accuracy).toBeCloseTo(1 / 3);
  });

  it("uses the task's matches against the gold result when it has one", async () => {
    const evaluation = await evaluateTask({ task: bagTask, gold, predictions });
    expect(evaluation.examples.map((example) => example.correct)).toEqual([1, 1, 0]);
    expect(evaluation.accuracy).toBeCloseTo(2 / 3);
    expect(evaluation.valid).toBeCloseTo(2 / 3);
  });
});

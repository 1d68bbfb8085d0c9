import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { evaluateBreakdown, evaluatePredictions } from '../src/evaluate/index.js';
import { programFromRationale } from '../src/tasks/math/index.js';
import type { ExecutionResult, TaskPlugin } from '../src/tasks/spec.js';
import { SHARED_DATA } from './shared-data.js';

/*
 * The stages reach a language only through the task contract (issue 14): evaluate breaks down by
 * the task's `breakdown`, whatever the task; the SQL-only modes and mix flags refuse other tasks in
 * one line (exit 2), from the stage, not from a branch in cli/.
 */
const folder = mkdtempSync(join(tmpdir(), 'symgen-task-neutral-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const writeJsonl = (name: string, rows: readonly unknown[]) => {
  const path = join(folder, name);
  writeFileSync(path, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  return path;
};

/** A task of sums (`1+2`): the result is the total; the breakdown feature is the number of terms. */
const sums: TaskPlugin<never> = {
  id: 'sums',
  extract: (text) => /[\d+ ]+/.exec(text)?.[0]?.trim() || null,
  normalise: (program) => program.replace(/\s+/g, ''),
  features: (program) => ({ terms: program.split('+').length === 2 ? 'two' : 'more' }),
  breakdown: { feature: 'terms', levels: ['two', 'more'] },
  environment: (record) => ({ id: String(record.group) }),
  createExecutor: () => ({
    async execute(program): Promise<ExecutionResult> {
      const parts = program.split('+').map((part) => Number(part.trim()));
      if (parts.some((part) => !Number.isInteger(part)))
        return { status: 'error', error: 'not a sum', durationMs: 0 };
      return { status: 'ok', key: String(parts.reduce((a, b) => a + b, 0)), durationMs: 0 };
    },
    async close() {},
  }),
};

describe('evaluate through the contract', () => {
  const gold = writeJsonl('sums-gold.jsonl', [
    { id: 'a', group: 'g1', program: '1+2' },
    { id: 'b', group: 'g1', program: '1+2+3' },
    { id: 'c', group: 'g2', program: '4+4' },
    { id: 'd', group: 'g2', program: '2+2+2' },
  ]);
  const predictions = writeJsonl('sums-pred.jsonl', [
    { id: 'a', program: '2+1' }, // same total, other text: correct, not an exact match
    { id: 'b', program: 'answer: 1 + 2 + 3' }, // extracted, exact in normal form
    { id: 'c', program: '4+5' }, // wrong total
  ]);

  it("breaks accuracy down by the task's feature and by environment, for any task with a breakdown", async () => {
    const evaluation = (await evaluateBreakdown({ task: sums, gold, predictions })) as unknown as {
      overall: { count: number; execution: number; exactMatch: number; valid: number };
      byTerms: Record<string, { count: number; execution: number }>;
      byDatabase: Record<string, { count: number; execution: number }>;
      missingPredictions: number;
      examples: { terms: string; dbId: string; predictionStatus: string }[];
    };
    expect(evaluation.overall).toEqual({ count: 4, execution: 0.5, exactMatch: 0.25, valid: 0.75 });
    expect(evaluation.byTerms).toEqual({
      two: { count: 2, execution: 0.5, exactMatch: 0, valid: 1 },
      more: { count: 2, execution: 0.5, exactMatch: 0.5, valid: 0.5 },
    });
    expect(Object.keys(evaluation.byDatabase)).toEqual(['g1', 'g2']);
    expect(evaluation.byDatabase.g1!.execution).toBe(1);
    expect(evaluation.missingPredictions).toBe(1);
    expect(evaluation.examples.map((example) => example.predictionStatus)).toEqual([
      'ok',
      'ok',
      'ok',
      'missing',
    ]);
  });

  it('reports the whole only for a task without a breakdown', async () => {
    const { breakdown: _none, ...plain } = sums;
    const evaluation = await evaluatePredictions({ task: plain as TaskPlugin<never>, gold, predictions });
    expect(evaluation).toMatchObject({ task: 'sums', count: 4, accuracy: 0.5 });
    expect('overall' in evaluation).toBe(false);
  });
});

describe('SQL-only modes and mixes refuse other tasks in one line', () => {
  let stderr = '';
  let stdout = '';
  beforeEach(() => {
    stderr = '';
    stdout = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('symgen sample --task math --mix', async () => {
    const out = join(folder, 'math-sample.jsonl');
    expect(await main(['sample', '--task', 'math', '--count', '2', '--out', out, '--mix', 'easy=1'])).toBe(2);
    expect(stderr).toMatch(/--mix: the math task has no mix to aim at: leave out --mix/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('symgen curate --task bash --target-mix', async () => {
    const input = writeJsonl('bash-in.jsonl', [{ question: 'list the files here', program: 'ls' }]);
    const out = join(folder, 'bash-curated.jsonl');
    expect(await main(['curate', '--task', 'bash', '--in', input, '--out', out, '--target-mix', input])).toBe(
      2,
    );
    expect(stderr).toMatch(/the bash task has no mix to re-weight toward: leave out --target-mix/);
  });

  it('symgen evaluate --task math --dataset runs through the contract; --model is refused', async () => {
    const gold = join(SHARED_DATA, 'gsm8k', 'test.jsonl');
    // programs of thought from the first rationales' calculator annotations, scored by the #### answers
    const rows = readFileSync(gold, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 8)
      .map((line) => JSON.parse(line) as { question: string; answer: string })
      .map((line) => ({ question: line.question, program: programFromRationale(line.answer) }))
      .filter((row) => row.program !== null);
    const dataset = writeJsonl('math-dataset.jsonl', rows);
    expect(
      await main(['evaluate', '--task', 'math', '--dataset', dataset, '--gold', gold, '--no-embeddings']),
    ).toBe(0);
    expect(stdout).toMatch(new RegExp(`examples\\s+${rows.length}\\n`));
    expect(stdout).toMatch(/valid \(executes\)\s+100\.0%/);
    expect(stdout).toMatch(/accuracy vs gold\s+\d+\.\d% of \d+/);
    stderr = '';
    expect(
      await main([
        'evaluate',
        '--task',
        'math',
        '--gold',
        gold,
        '--model',
        'm',
        '--base-url',
        'http://127.0.0.1:9/v1',
      ]),
    ).toBe(2);
    expect(stderr).toMatch(/--model: scoring a model's zero-shot answers is written for the sql task/);
  });
});

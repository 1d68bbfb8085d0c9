import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { evaluateBreakdown, evaluatePredictions } from '../src/evaluate/index.js';
import { programFromRationale } from '../src/tasks/math/index.js';
import type { ExecutionResult, TaskPlugin } from '../src/tasks/spec.js';
import { createLlmTestServer } from '../src/testing/index.js';
import { SHARED_DATA } from './shared-data.js';

/*
 * The stages reach a language only through the task contract (issue 14): evaluate breaks down by
 * the task's `breakdown`, whatever the task; the SQL-only modes and mix flags refuse other tasks in
 * one line (exit 2), from the stage, not from a branch in cli/.
 */
const folder = mkdtempSync(join(tmpdir(), 'symgen-task-neutral-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const chatReply = (content: string) => ({
  body: {
    object: 'chat.completion',
    model: 'parser',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 10 },
  },
});
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

describe('evaluate modes run for every task; mixes refuse tasks without one, in one line', () => {
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

  it('symgen evaluate --task math --dataset runs through the contract', async () => {
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
  });

  it("symgen evaluate --task top --model: zero-shot in the task's gen_a prompt, extracted and scored by the task", async () => {
    const gold = readJsonl(join(SHARED_DATA, 'mtop', 'dev.jsonl')).slice(0, 3);
    const goldFile = writeJsonl('mtop-gold.jsonl', gold);
    // answers the gold parse for the first two questions, a parse of another intent for the third
    const server = await createLlmTestServer({
      respond: (request) => {
        const prompt = JSON.stringify((request.body as { messages: unknown }).messages);
        const index = gold.findIndex((line) => prompt.includes(JSON.stringify(line.question).slice(1, -1)));
        const parse = index === 2 ? '[IN:GET_WEATHER ]' : String(gold[index]?.logical_form);
        return chatReply(`Here is the parse:\n${parse}`);
      },
    });
    try {
      const json = join(folder, 'top-model.json');
      const predictions = join(folder, 'top-predictions.jsonl');
      const args = [
        'evaluate',
        '--task',
        'top',
        '--gold',
        goldFile,
        '--model',
        'parser',
        '--base-url',
        server.baseURL,
      ];
      expect(await main([...args, '--pred-out', predictions, '--json', json])).toBe(0);
      const metrics = JSON.parse(readFileSync(json, 'utf8')) as {
        count: number;
        accuracy: number;
        model: string;
      };
      expect(metrics).toMatchObject({ count: 3, model: 'parser' });
      expect(metrics.accuracy).toBeCloseTo(2 / 3, 10);
      expect(readJsonl(predictions).map((line) => line.program)).toEqual([
        gold[0]!.logical_form,
        gold[1]!.logical_form,
        '[IN:GET_WEATHER ]',
      ]);
      // the prompt is TOP's own gen_a prompt, with the intents and slots it knows of (none here) and the question
      const first = JSON.stringify((server.requests[0]!.body as { messages: unknown }).messages);
      expect(first).toContain(JSON.stringify(gold[0]!.question).slice(1, -1));
    } finally {
      await server.close();
    }
  });

  it("symgen evaluate --task top --train: the built-in model on the task's own tokens, scored by the task", async () => {
    const train = join(SHARED_DATA, 'mtop', 'train.jsonl');
    // MTOP's own lines (question, logical_form): the task's field names are read
    const trainFile = writeJsonl('mtop-train.jsonl', readJsonl(train).slice(0, 40));
    const goldFile = writeJsonl('mtop-gold-train.jsonl', readJsonl(train).slice(0, 4));
    const json = join(folder, 'top-train.json');
    const predictions = join(folder, 'top-train-predictions.jsonl');
    expect(
      await main([
        'evaluate',
        '--task',
        'top',
        '--gold',
        goldFile,
        '--train',
        trainFile,
        '--epochs',
        '1',
        '--pred-out',
        predictions,
        '--json',
        json,
      ]),
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(json, 'utf8')) as {
      count: number;
      accuracy: number;
      training: { examples: number; epochs: number; backend: string };
    };
    expect(metrics).toMatchObject({ count: 4, training: { examples: 40, epochs: 1, backend: 'wasm' } });
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(readJsonl(predictions)).toHaveLength(4);
  }, 120_000);
});

/**
 * `symgen evaluate --dataset` for the tasks beside SQL, through the task contract (issue 14): real
 * executors on the slices in test/data, no mocks. Python's validity is its tests run in the sandbox;
 * Bash and QDMR parse; a user task module executes with its own executor.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import type { DatasetEvaluation } from '../src/evaluate/index.js';
import { createLlmTestServer, type LlmTestServer } from '../src/testing/index.js';
import { importEdges } from './layering.js';
import { SHARED_DATA } from './shared-data.js';

let folder: string;
let server: LlmTestServer;
let stdout = '';
let stderr = '';
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'symgen-evaluate-tasks-'));
  server = await createLlmTestServer();
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const lines = (path: string, count: number) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, count)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const write = (name: string, rows: readonly (Record<string, unknown> | string)[]) => {
  const path = join(folder, name);
  writeFileSync(
    path,
    `${rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n')}\n`,
  );
  return path;
};

const evaluate = async (args: string[]) => {
  const json = join(folder, `metrics-${Math.random().toString(36).slice(2)}.json`);
  const code = await main(['evaluate', ...args, '--no-embeddings', '--json', json]);
  expect({ code, stderr }).toMatchObject({ code: 0 });
  return JSON.parse(readFileSync(json, 'utf8')) as DatasetEvaluation;
};

const MBPP = join(SHARED_DATA, 'mbpp', 'mbpp.jsonl');

describe('symgen evaluate --dataset beside SQL', () => {
  it('python: validity by running each program on its tests, gold by the gold line tests, diversity; a bad line is counted', async () => {
    const mbpp = lines(MBPP, 12);
    const dataset = write('python.jsonl', [
      // MBPP's own lines (text, code, test_list): every one passes its tests
      ...mbpp.slice(0, 10),
      // another problem's program (a duplicate): it fails the tests of this one
      { ...mbpp[10], code: mbpp[9]!.code },
      // a program that does not parse
      { ...mbpp[11], code: 'def broken(:\n    return' },
      '{not json',
      { code: 'def f():\n    return 1', test_list: [] },
    ]);
    const gold = write('python-gold.jsonl', mbpp);
    const metrics = await evaluate(['--task', 'python', '--dataset', dataset, '--gold', gold]);
    const { faithfulness, text, programs, invalidLines } = metrics.dataset;
    expect(faithfulness.examples).toBe(12);
    expect(invalidLines).toBe(2);
    expect(faithfulness.validity).toEqual({ executed: 12, ok: 10, empty: 0, error: 2 });
    // gold by question: the two bad programs fail the gold problems' tests
    expect(faithfulness.gold).toEqual({ count: 12, correct: 10, accuracy: 10 / 12 });
    expect(programs.programs).toBe(12);
    expect(programs.distinctPrograms).toBe(11);
    expect(programs.normalForms).toBe(11);
    expect(programs.tokenDistinct1).toBeGreaterThan(0.05);
    expect(programs.tokenDistinct1).toBeLessThan(programs.tokenDistinct2);
    expect(programs.tokenDistinct3).toBeLessThan(1);
    expect(programs.breakdown).toBeUndefined();
    expect(text.vocabulary).toBeGreaterThan(60);
    expect(text.distinct1).toBeGreaterThan(0.3);
    expect(text.selfBleu).toBeGreaterThan(0);
    expect(stdout).toMatch(/invalid lines\s+2/);
    expect(stdout).toMatch(/valid \(executes\)\s+83\.3%/);
    expect(stdout).toMatch(/accuracy vs gold\s+83\.3% of 12/);
    expect(stdout).toMatch(/distinct normal forms\s+11 \(91\.7%\)/);
    // no SQL sections for Python: no hardness, tables or columns rows
    expect(stdout).not.toMatch(/hardness|tables used|columns used/);
  }, 60_000);

  it('python: the judge gets the task judge prompt and its knowledge', async () => {
    const dataset = write('python-judge.jsonl', lines(MBPP, 2));
    const answer = (content: string) => ({
      body: {
        object: 'chat.completion',
        model: 'judge',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 2 },
      },
    });
    server.enqueue(answer('YES'), answer('NO, it does not.'));
    const metrics = await evaluate([
      '--task',
      'python',
      '--dataset',
      dataset,
      '--judge-model',
      'judge',
      '--judge-base-url',
      server.baseURL,
    ]);
    expect(metrics.dataset.faithfulness.judge).toMatchObject({ model: 'judge', sampled: 2, yes: 1, no: 1 });
    const prompt = JSON.stringify(server.requests.at(-1)!.body);
    expect(prompt).toContain('Python function');
    expect(prompt).toContain('Write a Python function named');
  }, 60_000);

  it('bash and qdmr: validity by parsing, program diversity by their normal forms and tokens', async () => {
    const bash = write('bash.jsonl', [
      ...lines(join(SHARED_DATA, 'nl2bash', 'dev.jsonl'), 20),
      { nl: 'print a broken substitution', bash: 'echo $((' },
      '{"nl": "truncated',
    ]);
    const bashMetrics = await evaluate(['--task', 'bash', '--dataset', bash]);
    expect(bashMetrics.dataset.faithfulness.examples).toBe(21);
    expect(bashMetrics.dataset.invalidLines).toBe(1);
    expect(bashMetrics.dataset.faithfulness.validity).toMatchObject({ executed: 21, ok: 20, error: 1 });
    expect(bashMetrics.dataset.programs.normalForms).toBeGreaterThan(15);
    expect(bashMetrics.dataset.programs.tokenDistinct1).toBeGreaterThan(0);
    expect(bashMetrics.dataset.text.vocabulary).toBeGreaterThan(30);

    const qdmr = write('qdmr.jsonl', lines(join(SHARED_DATA, 'break', 'dev.jsonl'), 25));
    const reference = write('qdmr-reference.jsonl', lines(join(SHARED_DATA, 'break', '10_shot.jsonl'), 10));
    const qdmrMetrics = await evaluate(['--task', 'qdmr', '--dataset', qdmr, '--reference', reference]);
    expect(qdmrMetrics.dataset.faithfulness.validity).toMatchObject({ executed: 25, ok: 25 });
    expect(qdmrMetrics.reference!.faithfulness.examples).toBe(10);
    expect(qdmrMetrics.dataset.programs.distinctPrograms).toBe(25);
    expect(stdout).toMatch(/program distinct-2\s+\d\.\d{3}\s+\d\.\d{3}/);
  }, 60_000);

  it('a user task module executes with its own executor; --judge-model without a judge prompt is refused', async () => {
    const module = join(import.meta.dirname, '..', 'examples', 'regex-task', 'task.mjs');
    const gold = join(import.meta.dirname, '..', 'examples', 'regex-task', 'gold.jsonl');
    // the regex example's gold lines with their questions (from its candidates), and a pattern that does not compile
    const questions = new Map(
      lines(join(import.meta.dirname, '..', 'examples', 'regex-task', 'candidates.jsonl'), 100).map(
        (line) => [line.id, line.question],
      ),
    );
    const rows = lines(gold, 100).map((line) => ({ ...line, question: questions.get(line.id) }));
    const dataset = write('regex.jsonl', [
      ...rows,
      { id: 'bad', question: 'an unbalanced group', strings: ['a', 'b'], regex: '(a' },
    ]);
    const metrics = await evaluate(['--task-module', module, '--dataset', dataset]);
    expect(metrics.dataset.faithfulness.validity).toMatchObject({
      executed: rows.length + 1,
      ok: rows.length,
      error: 1,
    });
    stderr = '';
    const code = await main([
      'evaluate',
      '--task-module',
      module,
      '--dataset',
      dataset,
      '--no-embeddings',
      '--judge-model',
      'judge',
      '--judge-base-url',
      server.baseURL,
    ]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('the regex task has no judge prompt');
  }, 60_000);

  it('dataset-evaluation.ts and program-diversity.ts reach tasks only through the contract', () => {
    const edges = importEdges(join(import.meta.dirname, '..', 'src')).filter((edge) =>
      ['evaluate/dataset-evaluation.ts', 'evaluate/program-diversity.ts'].includes(edge.from),
    );
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.filter((edge) => /^tasks\/(?!spec\.js|registry\/)/.test(edge.to))).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHARED_DATA } from '../../test/shared-data.js';
import { main } from '../cli/main.js';
import { normalisePython } from '../tasks/python/index.js';
import { normaliseSql } from '../tasks/sql/normalise.js';
import { ContaminationIndex } from './decontaminate.js';

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    // biome-ignore lint/suspicious/noExplicitAny: the test walks JSONL lines
    .map((line) => JSON.parse(line) as Record<string, any>);

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'symgen-decontaminate-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('ContaminationIndex', () => {
  const index = new ContaminationIndex({ normalise: normaliseSql });
  index.add({
    file: 'bench.jsonl',
    line: 1,
    id: 'long',
    question: 'How many rivers run through the states that border the state with the largest population?',
    program: 'SELECT count(*) FROM river',
  });
  index.add({
    file: 'bench.jsonl',
    line: 2,
    id: 'short',
    question: 'what is the capital of the state of texas',
  });
  index.add({ file: 'bench.jsonl', line: 3, id: 'tiny', question: 'list all rivers' });

  it('finds a shared 13-gram on folded text, and not a 12-gram', () => {
    expect(
      index.match(
        'Tell me: how many RIVERS run through the states that border the state with the largest area',
        undefined,
      ),
    ).toMatchObject({
      kind: 'question-ngram',
      id: 'long',
      shared: 'how many rivers run through the states that border the state with the',
    });
    // 12 words in common, then different
    expect(
      index.match('how many rivers run through the states that border the state with most people', undefined),
    ).toBeUndefined();
  });

  it('compares texts shorter than 13 words whole, down to 8 words; shorter ones only when equal', () => {
    expect(
      index.match('Please answer: what is the capital of the state of texas, in one word', undefined),
    ).toMatchObject({
      kind: 'question-contained',
      id: 'short',
    });
    expect(index.match('rivers run through the states that border the state with', undefined)).toMatchObject({
      kind: 'question-contained',
      id: 'long',
    });
    expect(index.match('List all rivers!', undefined)).toMatchObject({ kind: 'question-equal', id: 'tiny' });
    expect(index.match('list all rivers in texas', undefined)).toBeUndefined();
    expect(index.match('the capital of the state of texas', undefined)).toBeUndefined();
  });

  it("finds an equal program in the task's normal form", () => {
    expect(index.match('count them', 'select   COUNT(*)\nfrom river')).toMatchObject({
      kind: 'program-equal',
      id: 'long',
    });
    expect(index.match('count them', 'SELECT count(*) FROM state')).toBeUndefined();
  });
});

describe('symgen curate --decontaminate (MBPP test problems)', () => {
  const mbpp = readLines(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl'));
  const byId = new Map(mbpp.map((row) => [row.task_id as number, row]));
  // the test split of the slice: MBPP's test problems are task_id 11 to 510
  const bench = () => {
    const path = join(folder, 'mbpp-test.jsonl');
    writeFileSync(
      path,
      `${mbpp
        .filter((row) => row.task_id >= 11)
        .map((row) => JSON.stringify(row))
        .join('\n')}\n`,
    );
    return path;
  };

  it('drops a planted copy of a test problem, a copied solution and an equal question, each with the item it matched', async () => {
    const benchmark = bench();
    const lines = [
      // prompt-split problems (task_id 1-3): not test items, kept
      ...[1, 2, 3].map((id) => ({
        id: `train-${id}`,
        question: byId.get(id)!.text,
        program: byId.get(id)!.code,
        confidence: 0.9,
      })),
      {
        id: 'planted',
        question: `Task 7: ${byId.get(11)!.text} Return the new string.`,
        program: 'def remove_Occ(s, ch):\n    return s.replace(ch, "", 1)[::-1].replace(ch, "", 1)[::-1]',
        confidence: 1,
      },
      {
        id: 'copied-solution',
        question: 'Order the rows of a matrix by how large their totals are',
        program: `# sorts rows\n${byId.get(12)!.code}\n\n`,
        confidence: 0.8,
      },
      {
        id: 'same-question',
        question: 'WRITE A FUNCTION TO FIND THE PERIMETER OF A SQUARE?',
        program: 'def p(a):\n    return 4 * a',
        confidence: 0.7,
      },
      {
        id: 'near-miss',
        question: 'Write a function to find the top k integers that occur most often in a stream of numbers',
        program: 'def top_k(nums, k):\n    return sorted(nums)[:k]',
        confidence: 0.9,
      },
    ];
    const input = join(folder, 'generated.jsonl');
    writeFileSync(input, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const out = join(folder, 'curated.jsonl');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        await main([
          'curate',
          '--in',
          input,
          '--out',
          out,
          '--task',
          'python',
          '--decontaminate',
          benchmark,
          '--no-near-dedup',
        ]),
      ).toBe(0);
      expect(stderr.mock.calls.map(String).join('')).toContain('dropped contaminated 3');
    } finally {
      stderr.mockRestore();
    }
    expect(readLines(out).map((line) => line.id)).toEqual(['train-1', 'train-2', 'train-3', 'near-miss']);
    const dropped = readLines(join(folder, 'curated.dropped.jsonl'));
    expect(dropped.map((line) => [line.id, line.reason, line.matched.kind, line.matched.id])).toEqual([
      ['planted', 'contaminated', 'question-ngram', '11'],
      ['copied-solution', 'contaminated', 'program-equal', '12'],
      ['same-question', 'contaminated', 'question-equal', '17'],
    ]);
    for (const line of dropped) {
      expect(line.matched.file).toBe(benchmark);
      expect(byId.get(Number(line.matched.id))!.task_id).toBe(Number(line.matched.id));
      // the line number points at the item in the benchmark file
      expect(readFileSync(benchmark, 'utf8').split('\n')[line.matched.line - 1]).toContain(
        `"task_id":${line.matched.id},`,
      );
      expect(line.detail).toMatch(
        new RegExp(`^${line.matched.kind} with .*:${line.matched.line} \\(id ${line.matched.id}\\)`),
      );
    }
    expect(normalisePython(byId.get(12)!.code)).toBe(dropped[1]!.matched.shared);

    // a stated threshold: with 12-grams the near miss is caught too
    const stderr2 = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        await main([
          'curate',
          '--in',
          input,
          '--out',
          out,
          '--task',
          'python',
          '--decontaminate',
          benchmark,
          '--decontaminate-ngram',
          '12',
          '--no-near-dedup',
        ]),
      ).toBe(0);
    } finally {
      stderr2.mockRestore();
    }
    expect(
      readLines(join(folder, 'curated.dropped.jsonl')).find((line) => line.id === 'near-miss')!.matched,
    ).toMatchObject({
      kind: 'question-ngram',
      id: '31',
    });
  });

  it('refuses a benchmark file with no items, with one line and exit 2', async () => {
    const empty = join(folder, 'empty.jsonl');
    writeFileSync(empty, '{"nothing": 1}\n');
    const input = join(folder, 'one.jsonl');
    writeFileSync(
      input,
      '{"question": "add two numbers together please", "program": "def f(a, b):\\n    return a + b"}\n',
    );
    let text = '';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      text += String(chunk);
      return true;
    });
    try {
      expect(
        await main([
          'curate',
          '--in',
          input,
          '--out',
          join(folder, 'o.jsonl'),
          '--task',
          'python',
          '--decontaminate',
          empty,
        ]),
      ).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(text).toMatch(/^symgen curate: .*empty\.jsonl holds no benchmark items/);
  });
});

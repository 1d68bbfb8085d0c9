import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { programFromRationale } from '../src/tasks/math/index.js';
import { SHARED_DATA } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-cli-tasks-'));
const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const writeJsonl = (name: string, rows: readonly unknown[]) => {
  const path = join(folder, name);
  writeFileSync(path, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  return path;
};

let stdout = '';
beforeEach(() => {
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

/** Verify with the CLI and return the output lines. */
async function verify(task: string, rows: readonly unknown[], extra: string[] = []) {
  const input = writeJsonl(`${task}-in.jsonl`, rows);
  const out = join(folder, `${task}-out.jsonl`);
  expect(await main(['verify', '--task', task, '--in', input, '--out', out, ...extra])).toBe(0);
  return readJsonl(out);
}

/** Evaluate with the CLI (JSON on stdout) and return the metrics. */
async function evaluate(task: string, gold: string, predictions: readonly unknown[], extra: string[] = []) {
  const pred = writeJsonl(`${task}-pred.jsonl`, predictions);
  expect(
    await main(['evaluate', '--task', task, '--gold', gold, '--pred', pred, '--format', 'json', ...extra]),
  ).toBe(0);
  return JSON.parse(stdout) as {
    accuracy: number;
    exactMatch: number;
    normalisedMatch: number;
    count: number;
  };
}

describe('symgen verify and evaluate --task top (MTOP dev)', () => {
  const rows = readJsonl(join(SHARED_DATA, 'mtop', 'dev.jsonl')).slice(0, 40) as {
    question: string;
    logical_form: string;
  }[];

  it('keeps the agreed tree, whatever its spacing, and scores exact match', async () => {
    const lines = await verify(
      'top',
      rows.map((row, index) => ({
        id: index,
        question: row.question,
        candidates: [
          row.logical_form,
          `The parse: ${row.logical_form.replace(/ \]/g, ']')}`,
          rows[(index + 1) % rows.length]!.logical_form,
          '[IN:BROKEN [SL:X',
        ],
      })),
      ['--min-votes', '2'],
    );
    expect(lines.map((line) => line.status)).toEqual(rows.map(() => 'accepted'));
    expect(lines.map((line) => [line.id, line.votes])).toEqual(rows.map((_, index) => [index, 2]));
    expect(lines[0]!.failures).toEqual({ error: 1 });
    const gold = writeJsonl('top-gold.jsonl', rows);
    const metrics = await evaluate(
      'top',
      gold,
      lines.map((line, index) => ({
        program: index % 4 === 0 ? rows[(index + 1) % rows.length]!.logical_form : line.program,
      })),
    );
    expect(metrics).toMatchObject({ count: 40, accuracy: 0.75, exactMatch: 0.75, normalisedMatch: 0.75 });
  });
});

describe('symgen verify and evaluate --task qdmr (Break dev)', () => {
  const rows = readJsonl(join(SHARED_DATA, 'break', 'dev.jsonl')).slice(0, 40) as { decomposition: string }[];

  it('agrees on renumbered decompositions and scores them', async () => {
    const lines = await verify(
      'qdmr',
      rows.map((row, index) => ({
        id: index,
        candidates: [
          row.decomposition,
          row.decomposition.toUpperCase(),
          rows[(index + 3) % rows.length]!.decomposition,
          'return #4',
        ],
      })),
      ['--min-votes', '2'],
    );
    expect(lines.filter((line) => line.status === 'accepted')).toHaveLength(40);
    const gold = writeJsonl('qdmr-gold.jsonl', rows);
    const metrics = await evaluate(
      'qdmr',
      gold,
      lines.map((line) => ({ program: line.program })),
    );
    expect(metrics).toMatchObject({ count: 40, accuracy: 1, normalisedMatch: 1 });
  });
});

describe('symgen verify and evaluate --task bash (NL2Bash dev)', () => {
  const rows = readJsonl(join(SHARED_DATA, 'nl2bash', 'dev.jsonl')).slice(0, 30) as {
    nl: string;
    bash: string;
  }[];

  it('agrees on syntax trees, quoting aside', async () => {
    const lines = await verify(
      'bash',
      rows.map((row, index) => ({
        id: index,
        question: row.nl,
        candidates: [
          `\`\`\`bash\n${row.bash}\n\`\`\``,
          `$ ${row.bash}`,
          rows[(index + 1) % rows.length]!.bash,
          "echo 'broken",
        ],
      })),
      ['--min-votes', '2'],
    );
    expect(lines.filter((line) => line.status === 'accepted')).toHaveLength(30);
    const gold = writeJsonl('bash-gold.jsonl', rows);
    const metrics = await evaluate(
      'bash',
      gold,
      lines.map((line, index) => ({ program: index < 15 ? line.program : 'ls' })),
    );
    expect(metrics.accuracy).toBeCloseTo(
      0.5 + rows.slice(15).filter((row) => row.bash === 'ls').length / 30,
      5,
    );
  });

  it('agrees on output and files with --execute in a fixture', async () => {
    const fixture = join(import.meta.dirname, '..', 'src', 'sandbox', 'bash', '__fixtures__', 'small');
    const lines = await verify(
      'bash',
      [
        {
          id: 'sort',
          candidates: [
            'sort fruits.txt > sorted.txt',
            'cat fruits.txt | sort > sorted.txt',
            'sort -r fruits.txt > sorted.txt',
          ],
        },
      ],
      ['--execute', '--fixture', fixture, '--min-votes', '2', '--workers', '2'],
    );
    expect(lines[0]).toMatchObject({ status: 'accepted', votes: 2, program: 'sort fruits.txt > sorted.txt' });
  });
});

describe('symgen verify and evaluate --task python (MBPP)', () => {
  const rows = readJsonl(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl')).filter(
    (row) => (row.task_id as number) >= 11 && (row.task_id as number) <= 30,
  ) as {
    task_id: number;
    text: string;
    code: string;
    test_list: string[];
  }[];

  it('keeps candidates that pass the asserts, and gives pass@1 against MBPP tests', async () => {
    const lines = await verify(
      'python',
      rows.map((row, index) => ({
        id: row.task_id,
        question: row.text,
        test_list: row.test_list,
        candidates: [
          `\`\`\`python\n${row.code}\n\`\`\``,
          rows[(index + 1) % rows.length]!.code,
          'def broken(:',
        ],
      })),
      ['--workers', '2'],
    );
    expect(lines.map((line) => line.status)).toEqual(rows.map(() => 'accepted'));
    const gold = join(SHARED_DATA, 'mbpp', 'mbpp.jsonl');
    const predictions = rows.flatMap((row, index) => [
      { task_id: row.task_id, completion: row.code },
      { task_id: row.task_id, completion: index % 2 === 0 ? row.code : 'def nothing(): pass' },
    ]);
    const metrics = await evaluate('python', gold, predictions, ['--only-predicted', '--workers', '2']);
    expect(metrics).toMatchObject({ count: 20, accuracy: 0.75 });
    expect(stdout).not.toContain('"examples"');
  });

  it('without asserts, agrees on outputs over shared inputs the candidates propose', async () => {
    const row = rows.find((candidate) => candidate.task_id === 12)!;
    const inputs = row.test_list.map((test) => /^assert \w+\((.*)\)\s*==/.exec(test)![1]!);
    const lines = await verify(
      'python',
      [
        {
          id: 12,
          entry_point: 'sort_matrix',
          candidates: [
            { program: row.code, inputs: inputs.slice(0, 2) },
            { program: 'def sort_matrix(M):\n    return sorted(M, key=sum)', inputs: ['undefined_name'] },
            { program: 'def sort_matrix(M):\n    return sorted(M)', inputs: inputs.slice(2) },
            { program: 'def sort_matrix(M):\n    return M' },
          ],
        },
      ],
      ['--workers', '2', '--min-votes', '2'],
    );
    expect(lines[0]).toMatchObject({ status: 'accepted', votes: 2 });
    expect((lines[0]!.clusters as { size: number }[])[0]!.size).toBe(4);
  });
});

describe('symgen verify and evaluate --task math (GSM8K test)', () => {
  const rows = readJsonl(join(SHARED_DATA, 'gsm8k', 'test.jsonl')).slice(0, 20) as {
    question: string;
    answer: string;
  }[];

  it('agrees on the numeric answer and scores against the gold after ####', async () => {
    const programs = rows.map((row) => programFromRationale(row.answer) ?? 'answer = 0');
    const lines = await verify(
      'math',
      rows.map((row, index) => ({
        id: index,
        question: row.question,
        candidates: [
          `\`\`\`python\n${programs[index]}\n\`\`\``,
          `${programs[index]}\nprint(answer)\nanswer = float(answer)`,
          `${programs[index]}\nanswer = answer + 1`,
          'answer = undefined_name',
        ],
      })),
      ['--workers', '2', '--min-votes', '2'],
    );
    expect(lines.filter((line) => line.status === 'accepted')).toHaveLength(20);
    const gold = writeJsonl('math-gold.jsonl', rows);
    const metrics = await evaluate(
      'math',
      gold,
      lines.map((line) => ({ program: line.program })),
      ['--workers', '2'],
    );
    expect(metrics.accuracy).toBeGreaterThan(0.85);
  });
});

describe('task flags', () => {
  it('names the known tasks for an unknown one, and needs --db only for sql', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const input = writeJsonl('one.jsonl', [{ id: '1', question: 'q', candidates: ['SELECT 1'] }]);
    expect(await main(['verify', '--task', 'cobol', '--in', input, '--out', join(folder, 'x.jsonl')])).toBe(
      2,
    );
    expect(stderr).toContain(
      'symgen verify: --task: unknown task "cobol"; known tasks: sql, python, math, bash, top, qdmr',
    );
    expect(await main(['verify', '--task', 'sql', '--in', input, '--out', join(folder, 'x.jsonl')])).toBe(2);
    expect(stderr).toContain('symgen verify: --db: the sql task needs --db PATH');
  });
});

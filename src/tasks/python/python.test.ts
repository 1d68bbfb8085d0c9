import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/shared-data.js';
import { describeTaskContract } from '../../testing/task-contract.js';
import { callsInText, extractPython, pythonEnvironment, pythonTask } from './index.js';

const environment = pythonEnvironment({ id: 'sum', inputs: ['[1, 2, 3]', '[]', '[2.5, 0.5]'] });

describeTaskContract(
  pythonTask,
  {
    options: { workers: 2, timeoutMs: 1000 },
    environment,
    extract: [
      {
        text: 'Here you go:\n```python\ndef total(xs):\n    return sum(xs)\n```\nIt sums the list.',
        program: 'def total(xs):\n    return sum(xs)',
      },
      {
        text: 'The function below adds them up.\ndef total(xs):\n    return sum(xs)\n\nThis runs in linear time.',
        program: 'def total(xs):\n    return sum(xs)',
      },
      { text: 'import math\nx = math.pi', program: 'import math\nx = math.pi' },
    ],
    noProgram: ['Sorry, I cannot help with that.', '```text\nno code\n```'],
    equalGroups: [
      [
        'def total(xs):\n    return sum(xs)',
        'def total(xs):\n    result = 0\n    for x in xs:\n        result += x\n    return result',
        'from functools import reduce\ndef add_all(values):\n    return reduce(lambda a, b: a + b, values, 0)',
      ],
      ['def total(xs):\n    return len(xs)'],
      ['def total(xs):\n    return max(xs)'],
    ],
    invalid: [
      'def total(xs) return',
      'x = 1',
      'def total(xs):\n    while True:\n        pass',
      'raise SystemExit(3)',
    ],
  },
  vitest,
);

describe('python on MBPP', () => {
  const rows = readFileSync(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { code: string; task_id: number })
    .filter((row) => row.task_id >= 11 && row.task_id <= 30);
  const executor = pythonTask.createExecutor({ workers: 2 });
  afterAll(() => executor.close());

  it('passes MBPP gold code against its asserts, and fails another problem’s code', async () => {
    const results = await Promise.all(rows.map((row) => executor.execute(row.code, pythonEnvironment(row))));
    expect(results.map((result) => result.status)).toEqual(rows.map(() => 'ok'));
    expect(new Set(results.map((result) => result.key))).toEqual(new Set(['pass']));
    const swapped = await Promise.all(
      rows.map((row, index) =>
        executor.execute(rows[(index + 1) % rows.length]!.code, pythonEnvironment(row)),
      ),
    );
    expect(swapped.filter((result) => result.status === 'ok')).toEqual([]);
  });

  it('tells functions apart by their outputs on inputs taken from the asserts', async () => {
    const row = rows.find((candidate) => candidate.task_id === 12)!;
    const inputs = (row.test_list as string[]).map((test) => /^assert \w+\((.*)\)\s*==/.exec(test)![1]!);
    const shared = pythonEnvironment({ id: 12, inputs, entry_point: 'sort_matrix' });
    const [gold, same, other] = await Promise.all([
      executor.execute(row.code, shared),
      executor.execute('def sort_matrix(M):\n    return sorted(M, key=lambda row: sum(row))', shared),
      executor.execute('def sort_matrix(M):\n    return M', shared),
    ]);
    expect(gold).toMatchObject({ status: 'ok', size: 3 });
    expect(same!.key).toBe(gold!.key);
    expect(other!.key).not.toBe(gold!.key);
  });

  it('takes the inputs a candidate proposes in its usage examples', () => {
    const text = 'def f(a, b):\n    return a + b\n\nprint(f(1, 2))\nassert f("x)", [4]) == 0\ny = f(9, 9)\n';
    expect(callsInText(text)).toEqual(['1, 2', '"x)", [4]']);
    const environment = pythonEnvironment({
      inputs: ['0, 0'],
      candidates: [text, { program: 'x', inputs: ['1, 2', '5, 5'] }],
    });
    expect(environment.data.inputs).toEqual(['0, 0', '1, 2', '"x)", [4]', '5, 5']);
  });

  it('extracts the gold code from a chat answer unchanged', () => {
    const code = rows[0]!.code.replace(/\r\n/g, '\n').trimEnd();
    expect(extractPython(`Sure! Here is the function:\n\n\`\`\`python\n${code}\n\`\`\``)).toBe(code);
  });
});

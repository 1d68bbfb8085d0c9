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

/** HumanEval/64's prompt as a model answers it: a module-level string whose lines start at column 0. */
const HUMANEVAL_64 = [
  'FIX = """',
  'Add more test cases.',
  '"""',
  '',
  'def vowels_count(s):',
  '    """Write a function vowels_count which takes a string representing',
  'a word as input and returns the number of vowels in the string.',
  '',
  'Example:',
  '    >>> vowels_count("abcde")',
  '    2',
  '    """',
  "    return sum(c in 'aeiouAEIOU' for c in s) + (s[-1:] in ('y', 'Y'))",
].join('\n');

describe('python extraction, as Python reads the code', () => {
  const executor = pythonTask.createExecutor({ workers: 1, timeoutMs: 5000 });
  afterAll(() => executor.close());
  const tests = pythonEnvironment({
    id: 'vowels',
    test_list: ['assert vowels_count("abcde") == 2', 'assert vowels_count("ACEDY") == 3'],
  });

  it('keeps a module-level triple-quoted string whose lines start at column 0, and the code runs', async () => {
    const answer = `Here is the completed program:\n${HUMANEVAL_64}\n\nThis counts the vowels of the word.`;
    expect(extractPython(answer)).toBe(HUMANEVAL_64);
    expect(await executor.execute(extractPython(answer)!, tests)).toMatchObject({
      status: 'ok',
      key: 'pass',
    });
  });

  it('keeps a leading raise, so the candidate fails as Python would run it', async () => {
    const code = "raise RuntimeError('not implemented')\ndef total(xs):\n    return sum(xs)";
    expect(extractPython(`Sure:\n${code}\n`)).toBe(code);
    const result = await executor.execute(extractPython(code)!, environment);
    expect(result.status).toBe('error');
    expect(result.error).toContain('RuntimeError');
  });

  it.each([
    // Prose that happens to begin with "raise" is not a statement.
    ['We raise the value to a power.\ndef f(x):\n    return x ** 2', 'def f(x):\n    return x ** 2'],
    // Lines inside brackets, or after a continuation, are code whatever they say.
    ['x = max(1,\nTwo is bigger than one, see.\n2)', 'x = max(1,\nTwo is bigger than one, see.\n2)'],
    ['x = 1 + \\\nThe rest of the sum is here.\ny = 2', 'x = 1 + \\\nThe rest of the sum is here.\ny = 2'],
    // A one-quote string ends with its line; prose at column 0 after it ends the code.
    ["x = 'a # not a comment'\nThis is the whole program, really.", "x = 'a # not a comment'"],
    [
      '"""A module docstring."""\nimport math\n\nThat is all there is to it.',
      '"""A module docstring."""\nimport math',
    ],
    [
      "def f():\n    '''\nA docstring at column 0.\n'''\n    return 1",
      "def f():\n    '''\nA docstring at column 0.\n'''\n    return 1",
    ],
  ])('extracts %j', (text, code) => {
    expect(extractPython(text)).toBe(code);
  });
});

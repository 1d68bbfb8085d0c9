import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/shared-data.js';
import { describeTaskContract } from '../../testing/task-contract.js';
import { goldAnswer, mathTask, numericKey, parseAnswerNumber, programFromRationale } from './index.js';

describeTaskContract(
  mathTask,
  {
    options: { workers: 2, timeoutMs: 1000 },
    environment: { id: 'gsm8k' },
    extract: [
      {
        text: '```python\neggs = 16 - 3 - 4\nanswer = eggs * 2\n```',
        program: 'eggs = 16 - 3 - 4\nanswer = eggs * 2',
      },
      { text: 'We compute it:\nanswer = 9 * 2\nSo she makes 18 dollars.', program: 'answer = 9 * 2' },
    ],
    noProgram: ['The answer is 18.'],
    equalGroups: [
      [
        'answer = (16 - 3 - 4) * 2',
        'def solution():\n    return 18.0',
        'print("total:")\nprint(9 * 2)',
        'answer = 18.0000000001',
      ],
      ['answer = 7 / 2', 'result = 3.5'],
      ['answer = 1 / 3'],
    ],
    invalid: ['answer = 1 / 0', 'x = 5', 'answer = "many"', 'answer = (', 'while True:\n    pass'],
  },
  vitest,
);

describe('math numbers', () => {
  it('reads answers and keys them within the tolerance', () => {
    expect(parseAnswerNumber('$1,234.50')).toBe(1234.5);
    expect(parseAnswerNumber('The answer is 18.')).toBe(18);
    expect(parseAnswerNumber('1/4')).toBe(0.25);
    expect(goldAnswer('She makes 9 * 2 = $<<9*2=18>>18.\n#### 1,800')).toBe(1800);
    expect(numericKey(0.1 + 0.2)).toBe(numericKey(0.3));
    expect(numericKey(2.9999999999)).toBe('3');
    expect(numericKey(3.01)).not.toBe(numericKey(3));
  });
});

describe('math on GSM8K test', () => {
  const rows = readFileSync(join(SHARED_DATA, 'gsm8k', 'test.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 40)
    .map((line) => JSON.parse(line) as { question: string; answer: string });
  const executor = mathTask.createExecutor({ workers: 2 });
  afterAll(() => executor.close());

  it('turns gold rationales into programs whose answers match the gold after ####', async () => {
    const programs = rows.map((row) => programFromRationale(row.answer));
    const results = await Promise.all(
      programs.map((program) => (program === null ? undefined : executor.execute(program, { id: '' }))),
    );
    const correct = rows.filter((row, index) => results[index]?.key === mathTask.reference!(row)!.key);
    expect(correct.length / rows.length).toBeGreaterThan(0.85);
  });
});

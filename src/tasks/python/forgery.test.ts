import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProcessSandbox, type ProcessSandbox } from '../../sandbox/process/index.js';
import { createMathExecutor } from '../math/math-executor.js';
import type { Executor } from '../spec.js';
import { pythonEnvironment } from './python-environment.js';
import { createPythonExecutor } from './python-executor.js';

/**
 * Issue 20, item 2: wrong programs that tried to pass by forging their outcome. Each runs twice
 * against one correct program (the set-up that let them win a vote before); none may be accepted,
 * and the correct one must be, in the warm pool and with a sandbox per candidate.
 */

const wrongAdd = 'def add(a, b):\n    return a - b\n';
const forgers: Record<string, string> = {
  'sys.exit(0) at import': `${wrongAdd}import sys\nsys.exit(0)`,
  'a return value whose __eq__ is always true': `class Anything:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n    def __repr__(self):\n        return '3'\ndef add(a, b):\n    return Anything()`,
  'an int subclass equal to everything': `class Int(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\ndef add(a, b):\n    return Int(a - b)`,
  'a forged result file, then os._exit(0)': `${wrongAdd}import json, os\nfor path in ('/tmp/.io/result', '/tmp/result', 'result'):\n    try:\n        open(path, 'w').write(json.dumps({'status': 'ok'}))\n    except OSError:\n        pass\nos._exit(0)`,
  'a forged report on the values pipe, then os._exit(0)': `${wrongAdd}import json, os\nos.write(3, json.dumps({'steps': [['ok', True]] * 4, 'done': True}).encode())\nos._exit(0)`,
  'an exception that hides the failure': `${wrongAdd}import builtins\nbuiltins.AssertionError = SystemExit`,
  'helpers of the test redefined': `${wrongAdd}import math\nmath.isclose = lambda *a, **k: True\ndef set(*a):\n    return 0\ndef sorted(*a, **k):\n    return 0`,
};
const correctAdd = 'def add(a, b):\n    return a + b';

describe.each(['warm', 'process'] as const)(
  'forged passes, %s mode',
  (mode) => {
    let sandbox: ProcessSandbox;
    let executor: Executor;
    let math: Executor;
    beforeAll(async () => {
      sandbox = await openProcessSandbox({ mode, size: 2, limits: { wallMs: 20_000, cpuSeconds: 8 } });
      executor = createPythonExecutor({ sandbox });
      math = createMathExecutor({ sandbox });
    });
    afterAll(async () => {
      await executor.close();
      await math.close();
      await sandbox.close();
    });

    it('with tests: no forger passes, the correct program does', async () => {
      const environment = pythonEnvironment({
        tests: [
          'assert add(1, 2) == 3',
          'assert math.isclose(add(5, 5), 10)',
          'assert set([add(2, 2)]) == set([4])',
          'assert sorted([add(0, 1), 3]) == sorted([3, 1])',
        ],
      });
      const programs = [...Object.values(forgers), ...Object.values(forgers), correctAdd];
      const results = await Promise.all(programs.map((program) => executor.execute(program, environment)));
      const names = [...Object.keys(forgers), ...Object.keys(forgers), 'correct'];
      expect(Object.fromEntries(results.map((result, index) => [names[index], result.status]))).toEqual({
        ...Object.fromEntries(Object.keys(forgers).map((name) => [name, 'error'])),
        correct: 'ok',
      });
      expect(results.at(-1)).toMatchObject({ status: 'ok', key: 'pass' });
    });

    it('a function under test named like a builtin is the candidate’s own (MBPP 126 defines sum)', async () => {
      const environment = pythonEnvironment({
        tests: ['assert sum(10, 15) == 6', 'assert sum(100, 150) == 93'],
      });
      const divisors =
        'def sum(a, b):\n    total = 0\n    for i in range(1, min(a, b) + 1):\n        if a % i == 0 and b % i == 0:\n            total += i\n    return total';
      expect(await executor.execute(divisors, environment)).toMatchObject({ status: 'ok', key: 'pass' });
    });

    it('on shared inputs: a forger does not join the correct programs’ outputs', async () => {
      const environment = pythonEnvironment({ inputs: ['1, 2', '5, 5'], entry_point: 'add' });
      const [correct, again, ...forged] = await Promise.all(
        [correctAdd, 'def add(x, y):\n    return y + x', ...Object.values(forgers)].map((program) =>
          executor.execute(program, environment),
        ),
      );
      expect(correct).toMatchObject({ status: 'ok', preview: ['3', '10'] });
      expect(again!.key).toBe(correct!.key);
      for (const result of forged) expect(result.status === 'ok' && result.key === correct!.key).toBe(false);
    });

    it('math: an answer shown only by its own repr, an early exit or a forged file is no answer', async () => {
      const results = await Promise.all(
        [
          'answer = 9 * 2',
          "class Answer:\n    def __repr__(self):\n        return '18'\n    def __eq__(self, other):\n        return True\nanswer = Answer()",
          'print(18)\nimport sys\nsys.exit(0)',
          'import os\nopen(\'/tmp/.io/result\', \'w\').write(\'{"status": "ok", "result": 18}\')\nos._exit(0)',
        ].map((program) => math.execute(program, { id: 'gsm8k' })),
      );
      expect(results.map((result) => [result.status, result.key])).toEqual([
        ['ok', '18'],
        ['error', undefined],
        ['error', undefined],
        ['error', undefined],
      ]);
    });
  },
  120_000,
);

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

/**
 * HumanEval-style tests: a check(candidate) function called as a statement. The worker runs it;
 * the candidate only answers for its names (`add`), so these forgers attack the calls instead.
 */
const checkTests = [
  [
    "METADATA = {'author': 'symgen', 'dataset': 'test'}",
    '',
    'def check(candidate):',
    '    assert candidate(1, 2) == 3',
    '    for x in range(-3, 4):',
    '        assert candidate(x, 2 * x) == 3 * x',
    '    assert abs(candidate(0.5, 0.25) - 0.75) < 1e-9',
    '    assert sorted([candidate(0, 1), 3]) == [1, 3]',
    '    try:',
    "        candidate('a', 1)",
    '    except TypeError:',
    '        pass',
    '    else:',
    "        raise AssertionError('str + int must raise TypeError')",
  ].join('\n'),
  'check(add)',
];
const checkForgers: Record<string, string> = {
  'exits with 0 inside the call': `def add(a, b):\n    import os\n    os._exit(0)`,
  'raises SystemExit inside the call': `def add(a, b):\n    raise SystemExit(0)`,
  'forged frames on the values pipe (report and answers), then os._exit(0)': `${wrongAdd}import json, os, struct\nfor body in [{'steps': [], 'done': True}] + [['ok', True]] * 3 + [['callable']] + [['ok', ['i', '0x3']]] * 20:\n    data = json.dumps(body).encode()\n    os.write(3, struct.pack('>I', len(data)) + data)\nos._exit(0)`,
  'rebinds the helpers the check uses': `${wrongAdd}import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.sorted = lambda *a, **k: [1, 3]\nbuiltins.range = lambda *a: []\ndef check(candidate):\n    pass`,
  'answers with an always-equal list subclass': `class L(list):\n    def __eq__(self, other):\n        return True\n    __hash__ = None\ndef add(a, b):\n    return L()`,
};

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

    it('HumanEval-style check(candidate): no forger passes, the correct program does', async () => {
      const environment = pythonEnvironment({ tests: checkTests });
      const all = { ...forgers, ...checkForgers };
      const programs = [...Object.values(all), ...Object.values(all), correctAdd];
      const results = await Promise.all(programs.map((program) => executor.execute(program, environment)));
      const names = [...Object.keys(all), ...Object.keys(all), 'correct'];
      expect(Object.fromEntries(results.map((result, index) => [names[index], result.status]))).toEqual({
        ...Object.fromEntries(Object.keys(all).map((name) => [name, 'error'])),
        correct: 'ok',
      });
      expect(results.at(-1)).toMatchObject({ status: 'ok', key: 'pass' });
      // The early exits are failures of the test, not of the sandbox.
      const early = await executor.execute(checkForgers['exits with 0 inside the call']!, environment);
      expect(early).toMatchObject({
        status: 'error',
        error: expect.stringContaining('stopped before test 2'),
      });
    });

    it('tests that loop over asserts or call as a statement are judged by the worker too', async () => {
      const environment = pythonEnvironment({
        tests: [
          'for x in range(-3, 4):\n    assert add(x, 1) == x + 1',
          'if add(2, 2) != 4:\n    raise ValueError("add")',
        ],
      });
      const all = { ...forgers, ...checkForgers };
      const results = await Promise.all(
        [...Object.values(all), correctAdd].map((program) => executor.execute(program, environment)),
      );
      expect(results.map((result) => result.status)).toEqual([...Object.keys(all).map(() => 'error'), 'ok']);
    });

    it('check(candidate) may use the program’s other functions, which still run in the candidate', async () => {
      const tests = [
        'def check(candidate):\n    for word in ["abc", "symgen", ""]:\n        assert candidate(encode_shift(word)) == word',
        'check(decode_shift)',
      ];
      const encode = 'def encode_shift(s):\n    return "".join(chr(ord(c) + 1) for c in s)\n';
      const environment = pythonEnvironment({ tests });
      const [right, wrong] = await Promise.all(
        [
          `${encode}def decode_shift(s):\n    return "".join(chr(ord(c) - 1) for c in s)`,
          `${encode}def decode_shift(s):\n    return s`,
        ].map((program) => executor.execute(program, environment)),
      );
      expect(right).toMatchObject({ status: 'ok', key: 'pass' });
      expect(wrong).toMatchObject({ status: 'error', error: expect.stringContaining('AssertionError') });
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

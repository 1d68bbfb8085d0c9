import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProcessSandbox, type ProcessSandbox } from '../process/index.js';
import { runPython } from './run-python.js';

const limits = { wallMs: 2_000, cpuSeconds: 1 };
let warm: ProcessSandbox;

beforeAll(async () => {
  warm = await openProcessSandbox({ size: 1, limits });
});

afterAll(async () => {
  await warm.close();
});

const addCode = 'def add(a, b):\n    return a + b';

describe('runPython', () => {
  it('runs a program with its tests', async () => {
    const passing = await runPython(warm, { code: addCode, tests: ['assert add(1, 2) == 3'] });
    expect(passing.status).toBe('ok');
    const failing = await runPython(warm, { code: addCode, tests: ['assert add(1, 2) == 4'] });
    expect(failing).toMatchObject({
      status: 'error',
      error: 'AssertionError: test 1 failed: assert add(1, 2) == 4',
      tests: ['fail'],
    });
    const raising = await runPython(warm, { code: addCode, tests: ['assert add(1, None) == 4'] });
    expect(raising).toMatchObject({ status: 'error', error: expect.stringMatching(/^TypeError/) });
    expect(raising.traceback).toContain('<candidate>');
  });

  it('runs check(candidate) tests in the worker: outcomes, exceptions, time limit', async () => {
    const tests = [
      'def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(2, 2) == 4',
      'check(add)',
    ];
    expect(await runPython(warm, { code: addCode, tests })).toMatchObject({
      status: 'ok',
      tests: ['pass', 'pass'],
    });
    const wrong = await runPython(warm, { code: 'def add(a, b):\n    return 3', tests });
    expect(wrong).toMatchObject({ status: 'error', tests: ['pass', 'fail'] });
    expect(wrong.error).toBe('AssertionError: test 2 failed: check(add)');
    const raising = await runPython(warm, { code: 'def add(a, b):\n    return a + None', tests });
    expect(raising).toMatchObject({ status: 'error', tests: ['pass', 'error'] });
    expect(raising.error).toMatch(/^test 2: TypeError: unsupported operand/);
    const missing = await runPython(warm, { code: 'def plus(a, b):\n    return a + b', tests });
    expect(missing).toMatchObject({ status: 'error', error: "test 2: NameError: name 'add' is not defined" });
    // A call that never returns is the candidate's wall-time limit; the worker goes on.
    const stuck = await runPython(warm, { code: 'import time\ndef add(a, b):\n    time.sleep(60)', tests });
    expect(stuck.status).toBe('timeout');
    expect(await runPython(warm, { code: addCode, tests })).toMatchObject({ status: 'ok' });
  });

  it('reports an expression as JSON and as repr', async () => {
    const json = await runPython(warm, { code: addCode, expression: '{"sum": add(2, 3), "pair": (1, 2)}' });
    expect(json.result).toEqual({ pair: [1, 2], sum: 5 });
    const notJson = await runPython(warm, { code: '', expression: '{3, 1, 2}' });
    expect(notJson).toMatchObject({ status: 'ok', resultRepr: '{1, 2, 3}' });
    expect(notJson.result).toBeUndefined();
  });

  it('feeds stdin and captures stdout and stderr', async () => {
    const result = await runPython(warm, {
      code: 'import sys\nname = input()\nprint("hi", name)\nprint("warn", file=sys.stderr)',
      stdin: 'Ada\n',
    });
    expect(result).toMatchObject({ status: 'ok', stdout: 'hi Ada\n', stderr: 'warn\n' });
  });

  it('treats sys.exit(0) as success and other exit codes as errors', async () => {
    expect((await runPython(warm, { code: 'import sys\nsys.exit(0)' })).status).toBe('ok');
    // ... but exiting before the tests ran is never a pass.
    expect(
      await runPython(warm, {
        code: `${addCode}\nimport sys\nsys.exit(0)`,
        tests: ['assert add(1, 2) == 3'],
      }),
    ).toMatchObject({ status: 'error', error: 'SystemExit: 0 before its tests finished' });
    expect(await runPython(warm, { code: 'import sys\nsys.exit(3)' })).toMatchObject({
      status: 'error',
      error: 'SystemExit: 3',
    });
    expect(await runPython(warm, { code: 'import os\nos._exit(4)' })).toMatchObject({
      status: 'error',
      exitCode: 4,
    });
  });

  it('keeps no state between candidates on the same worker', async () => {
    await runPython(warm, {
      code: 'import builtins, sys\nbuiltins.leaked = 1\nsys.modules["json"] = None\nleak = 2\nopen("/tmp/leak", "w").write("x")\nopen("here", "w").write("x")',
    });
    const result = await runPython(warm, {
      code: 'import builtins, json, os\nstate = [hasattr(builtins, "leaked"), "leak" in globals(), os.path.exists("/tmp/leak"), os.listdir(".")]',
      expression: 'state',
    });
    expect(result.result).toEqual([false, false, false, []]);
  });

  it('gives the same results with a sandbox per candidate', async () => {
    const perProcess = await openProcessSandbox({ mode: 'process', size: 2, limits });
    try {
      const results = await Promise.all([
        runPython(perProcess, { code: addCode, expression: 'add(20, 22)' }),
        runPython(perProcess, { code: 'raise KeyError("k")' }),
        runPython(perProcess, { code: 'import os\nos._exit(9)' }),
      ]);
      expect(results.map((result) => result.status)).toEqual(['ok', 'error', 'error']);
      expect(results[0]!.result).toBe(42);
    } finally {
      await perProcess.close();
    }
  });

  it('refuses work after an abort or after close', async () => {
    const aborted = await runPython(warm, { code: 'x = 1' }, AbortSignal.abort());
    expect(aborted.status).toBe('refused');
    const closing = await openProcessSandbox({ size: 1, limits });
    await closing.close();
    expect((await runPython(closing, { code: 'x = 1' })).status).toBe('refused');
  });

  it('stops a running candidate on abort', async () => {
    const controller = new AbortController();
    const running = runPython(warm, { code: 'import time\ntime.sleep(5)' }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect((await running).status).toBe('refused');
    expect((await runPython(warm, { code: 'x = 1', expression: 'x' })).result).toBe(1);
  });
});

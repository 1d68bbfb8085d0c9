import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProcessSandbox, type ProcessSandbox } from '../process/index.js';
import { runPython } from './run-python.js';

const secret = 'symgen-test-secret-4f1c';
const limits = {
  wallMs: 1_500,
  cpuSeconds: 1,
  memoryBytes: 256 * 1024 * 1024,
  maxFileBytes: 1024 * 1024,
  maxOutputBytes: 4096,
};

/** Each hostile candidate, and the statuses that count as "contained" for it. */
const corpus: Record<string, { code: string; expect: readonly string[] }> = {
  'endless loop': { code: 'while True:\n    pass', expect: ['timeout'] },
  'sleeps past the wall time': { code: 'import time\ntime.sleep(30)', expect: ['timeout'] },
  'fork bomb': { code: 'import os\nwhile True:\n    os.fork()', expect: ['error', 'timeout', 'crash'] },
  'memory bomb': {
    code: 'blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 1024 * 1024))',
    // Zeroing the pages costs CPU; under load the time limit may trip before the memory limit.
    expect: ['error', 'timeout'],
  },
  'network access': {
    code: 'import socket\nsocket.create_connection(("1.1.1.1", 53), timeout=1)',
    expect: ['error'],
  },
  'name resolution': { code: 'import socket\nsocket.getaddrinfo("example.com", 80)', expect: ['error'] },
  'writes outside /tmp': { code: 'open("/usr/lib/symgen-evil", "w").write("x")', expect: ['error'] },
  'writes to the sandbox root': { code: 'open("/evil", "w").write("x")', expect: ['error'] },
  'appends to /etc/passwd': { code: 'open("/etc/passwd", "a").write("evil")', expect: ['error'] },
  "reads the user's home": { code: 'import os\nprint(os.listdir("/root"))', expect: ['error'] },
  'reads the project': {
    code: `print(open(${JSON.stringify(`${process.cwd()}/package.json`)}).read())`,
    expect: ['error'],
  },
  'reads /etc/shadow': { code: 'print(open("/etc/shadow").read())', expect: ['error'] },
  // The candidate is pid 1 of its own pid namespace: what it leaves behind dies with it at once.
  'leaves a process behind': {
    code: 'import os, time\nif os.fork() == 0:\n    time.sleep(30)',
    expect: ['ok'],
  },
  // Its parent is outside its pid namespace (getppid() is 0): these reach only the candidate's
  // own processes, which as init it survives; the worker is untouched (no crash, no timeout).
  'stops its parent': {
    code: 'import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)',
    expect: ['ok', 'error'],
  },
  'kills its parent': {
    code: 'import os, signal\nos.kill(os.getppid(), signal.SIGKILL)',
    expect: ['ok', 'error'],
  },
  'kills every process': { code: 'import os, signal\nos.kill(-1, signal.SIGKILL)', expect: ['ok', 'error'] },
  'huge output': { code: 'while True:\n    print("x" * 10000)', expect: ['error'] },
  segfault: { code: 'import ctypes\nctypes.string_at(0)', expect: ['crash'] },
};

let sandbox: ProcessSandbox;

beforeAll(async () => {
  process.env.SYMGEN_TEST_SECRET = secret;
  sandbox = await openProcessSandbox({ size: 4, limits });
});

afterAll(async () => {
  delete process.env.SYMGEN_TEST_SECRET;
  await sandbox.close();
});

describe('hostile Python candidates', () => {
  it('contains every one, reports it as a result, and keeps running later candidates', async () => {
    const names = Object.keys(corpus);
    const results = await Promise.all(names.map((name) => runPython(sandbox, { code: corpus[name]!.code })));
    const statuses = Object.fromEntries(names.map((name, index) => [name, results[index]!.status]));
    for (const name of names)
      expect({ name, status: statuses[name] }).toEqual({
        name,
        status: expect.toBeOneOf([...corpus[name]!.expect]),
      });
    const after = await Promise.all(
      [1, 2, 3, 4, 5].map((value) => runPython(sandbox, { code: `x = ${value} * 2`, expression: 'x' })),
    );
    expect(after.map((result) => [result.status, result.result])).toEqual(
      [1, 2, 3, 4, 5].map((value) => ['ok', value * 2]),
    );
  });

  it('cuts huge output at the reporting limit', async () => {
    const result = await runPython(sandbox, { code: 'while True:\n    print("y" * 10000)' });
    expect(result.stdout.length).toBe(limits.maxOutputBytes);
    expect(result.stdoutTruncated).toBe(true);
    expect(result.error).toContain('size limit');
  });

  it('hides the caller environment and home directory', async () => {
    const result = await runPython(sandbox, {
      code: 'import os\nprint(sorted(os.environ))\nprint(open("/proc/1/environ", "rb").read())\nprint(os.getcwd(), os.path.expanduser("~"))',
    });
    expect(result.status).toBe('ok');
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).not.toContain('SYMGEN_TEST_SECRET');
    expect(result.stdout).toContain("'PATH'");
    expect(result.stdout).toContain('/tmp/work /tmp');
  });

  it('has no network interface but loopback', async () => {
    const result = await runPython(sandbox, { code: 'import socket\nprint(socket.if_nameindex())' });
    expect(result.stdout.trim()).toBe("[(1, 'lo')]");
  });

  it('leaves no host file written', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync('/usr/lib/symgen-evil')).toBe(false);
  });
});

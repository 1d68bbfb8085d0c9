import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProcessSandbox, type ProcessSandbox } from '../process/index.js';
import { runPython } from './run-python.js';

/**
 * Issue 20's attacks, run for real in both sandbox modes: a candidate taking over its worker
 * (ptrace, pidfd_getfd, /proc/<pid>/mem, process_vm_readv, signals), reading the request's
 * expected values or an earlier candidate's results from its own memory, and System V IPC
 * outliving its candidate or growing host shared memory.
 */

const limits = { wallMs: 20_000, cpuSeconds: 8, memoryBytes: 256 * 1024 * 1024 };
const addTests = ['assert add(1, 2) == 3', 'assert add(-4, 10) == 6'];
const correctAdd = 'def add(a, b):\n    return a + b';

/** Tries every way into another process on every pid it can name, after checking each works on its own child. */
const hijack = `
import ctypes, json, os, signal, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
PIDFD_OPEN, PIDFD_GETFD = 434, 438
VM_READV = 310 if os.uname().machine == 'x86_64' else 270
class iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]
def attempts(pid):
    won = []
    if libc.ptrace(16, pid, None, None) == 0:
        won.append('ptrace')
        libc.ptrace(17, pid, None, None)
    fd = libc.syscall(PIDFD_OPEN, pid, 0)
    if fd >= 0:
        won.append('pidfd_open')
        for target in range(8):
            copied = libc.syscall(PIDFD_GETFD, fd, target, 0)
            if copied >= 0:
                won.append('pidfd_getfd %d' % target)
                os.close(copied)
        os.close(fd)
    buffer = ctypes.create_string_buffer(16)
    local, remote = iovec(ctypes.addressof(buffer), 16), iovec(0x400000, 16)
    if libc.syscall(VM_READV, pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) >= 0 or ctypes.get_errno() == 14:
        won.append('process_vm_readv')
    try:
        with open('/proc/%d/mem' % pid, 'rb') as handle:
            won.append('open /proc/%d/mem' % pid)
    except OSError:
        pass
    if libc.kill(pid, 0) == 0:
        won.append('kill')
    return won
child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
time.sleep(0.05)
control = attempts(child)
os.kill(child, signal.SIGKILL)
os.waitpid(child, 0)
me = os.getpid()
visible = sorted(int(name) for name in os.listdir('/proc') if name.isdigit())
won = {pid: attempts(pid) for pid in range(1, 300) if pid != me}
targets = [os.readlink('/proc/self/fd/%d' % fd) for fd in range(4)]
print(json.dumps({'me': me, 'ppid': os.getppid(), 'visible': visible, 'fds': sorted(os.listdir('/proc/self/fd')), 'targets': targets,
                  'control': control, 'won': {pid: how for pid, how in won.items() if how}}))
def add(a, b):
    return a - b
`;

/** Counts occurrences of two 8-digit markers in every readable page of its own memory (`scan()`). */
const scanning = (input: string, expected: string) => `
import json
def needle(digits):
    return bytes(48 + int(d) for d in digits[:4]), bytes(48 + int(d) for d in digits[4:])
def count(memory, parts):
    head, tail = parts
    hits, at = 0, memory.find(head)
    while at >= 0:
        hits += memory[at + 4:at + 8] == tail
        at = memory.find(head, at + 1)
    return hits
def scan():
    needles = {'input': needle(${JSON.stringify(input.split('').reverse().join(''))}[::-1]),
               'expected': needle(${JSON.stringify(expected.split('').reverse().join(''))}[::-1])}
    hits = {name: 0 for name in needles}
    with open('/proc/self/mem', 'rb', 0) as memory:
        for line in open('/proc/self/maps').read().splitlines():
            span, perms = line.split()[:2]
            if 'r' not in perms or '[vvar' in line or '[vsyscall' in line:
                continue
            start, end = (int(part, 16) for part in span.split('-'))
            try:
                memory.seek(start)
                data = memory.read(end - start)
            except (OSError, OverflowError):
                continue
            for name, parts in needles.items():
                hits[name] += count(data, parts)
            del data
    return hits
`;

/** Scans at import, before its tests' calls. */
const scanner = (input: string, expected: string) =>
  `${scanning(input, expected)}print(json.dumps(scan()))\ndef double(x):\n    return 0\n`;

/** Scans when it is called, as a check(candidate) test that the worker runs calls it. */
const scanningDouble = (input: string, expected: string) =>
  `${scanning(input, expected)}def double(x):\n    print(json.dumps(scan()))\n    return 0\n`;

const shmAttack = `
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
size, total, stopped = 16 << 20, 0, None
for _ in range(64):
    ident = libc.shmget(0, size, 0o1000 | 0o600)
    if ident < 0:
        stopped = ctypes.get_errno()
        break
    address = libc.shmat(ident, None, 0)
    if address is None or address == ctypes.c_void_p(-1).value:
        stopped = ctypes.get_errno()
        break
    ctypes.memset(address, 7, size)
    libc.shmdt(address)
    total += size
limits = {}
for name in ('shmall', 'shmmax', 'msgmni'):
    try:
        with open('/proc/sys/kernel/' + name, 'w') as handle:
            handle.write('999999999')
        limits[name] = 'raised'
    except OSError as error:
        limits[name] = error.strerror
print(json.dumps({'total': total, 'stopped': stopped, 'limits': limits,
                  'unshare': libc.unshare(0x10000000 | 0x08000000)}))
`;

const queue = (send: boolean) => `
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
class message(ctypes.Structure):
    _fields_ = [('type', ctypes.c_long), ('text', ctypes.c_char * 32)]
ident = libc.msgget(0x5a17, (0o1000 | 0o666) if ${send ? 'True' : 'False'} else 0)
result = {'ident': ident, 'errno': ctypes.get_errno()}
if ident >= 0:
    box = message(1, b'secret-from-the-last-candidate')
    if ${send ? 'True' : 'False'}:
        result['sent'] = libc.msgsnd(ident, ctypes.byref(box), 32, 0)
    else:
        box = message()
        result['received'] = libc.msgrcv(ident, ctypes.byref(box), 32, 0, 0o4000)
        result['text'] = box.text.decode()
print(json.dumps(result))
`;

function hostShmemKb(): number {
  const line = readFileSync('/proc/meminfo', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('Shmem:'));
  return Number(/\d+/.exec(line ?? '')?.[0]);
}

async function settledShmemKb(before: number): Promise<number> {
  let grown = hostShmemKb() - before;
  for (let waited = 0; grown >= 64 * 1024 && waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    grown = hostShmemKb() - before;
  }
  return grown;
}

describe.each(['warm', 'process'] as const)('sandbox integrity, %s mode', (mode) => {
  let sandbox: ProcessSandbox;
  beforeAll(async () => {
    sandbox = await openProcessSandbox({ mode, size: 1, limits });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('a candidate cannot trace, read, signal or take descriptors from its worker', async () => {
    const attack = await runPython(sandbox, { code: hijack, tests: addTests });
    // A wrong program, whatever it tried, is not accepted...
    expect(attack).toMatchObject({ status: 'error', tests: ['fail', 'fail'] });
    const report = JSON.parse(attack.stdout) as {
      me: number;
      ppid: number;
      visible: number[];
      fds: string[];
      targets: string[];
      control: string[];
      won: Record<string, string[]>;
    };
    // ...every attack works on a process it can see (its own child)...
    expect(report.control).toEqual(expect.arrayContaining(['ptrace', 'pidfd_open', 'pidfd_getfd 1', 'kill']));
    // ...but it is pid 1 of a namespace holding nothing else: no worker to name, no pipe to symgen.
    expect(report).toMatchObject({ me: 1, ppid: 0, visible: [1], won: {} });
    expect(report.fds).toEqual(['0', '1', '2', '3', '4']);
    // fds 0-2 are its own files, 3 its values pipe (the 4th is the listing itself): none of the
    // worker's pipes to symgen is open in it.
    expect(report.targets.slice(0, 3)).toEqual(['/tmp/.io/stdin', '/tmp/.io/stdout', '/tmp/.io/stderr']);
    expect(report.targets[3]).toMatch(/^pipe:/);
    // The same worker then judges correct candidates as it should.
    const after = await Promise.all(
      [1, 2, 3, 4].map(() => runPython(sandbox, { code: correctAdd, tests: addTests })),
    );
    expect(after.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  }, 120_000);

  it("holds neither the request's expected values nor an earlier candidate's results in its memory", async () => {
    const tests = ['assert double(49382715) == 98765430'];
    const correct = await runPython(sandbox, { code: 'def double(x):\n    return 2 * x', tests });
    expect(correct.status).toBe('ok');
    const scan = await runPython(sandbox, { code: scanner('49382715', '98765430'), tests });
    expect(scan.status).toBe('error');
    // The argument of its call is there (the scan works); the expected value, and the value the
    // correct candidate returned just before on the same worker, are not.
    expect(JSON.parse(scan.stdout)).toMatchObject({ expected: 0, input: expect.any(Number) });
    expect(JSON.parse(scan.stdout).input).toBeGreaterThan(0);
  }, 120_000);

  it('check(candidate): the test body stays in the worker; only the call arguments reach the candidate', async () => {
    // Strings, so that the argument is in the candidate's memory as digits (the scan works).
    const tests = ["def check(candidate):\n    assert candidate('49382715') == '98765430'", 'check(double)'];
    const correct = await runPython(sandbox, { code: 'def double(x):\n    return str(2 * int(x))', tests });
    expect(correct).toMatchObject({ status: 'ok', tests: ['pass', 'pass'] });
    const scan = await runPython(sandbox, { code: scanningDouble('49382715', '98765430'), tests });
    expect(scan).toMatchObject({ status: 'error', tests: ['pass', 'fail'] });
    const hits = JSON.parse(scan.stdout) as { input: number; expected: number };
    expect(hits.input).toBeGreaterThan(0);
    expect(hits.expected).toBe(0);
  }, 120_000);

  it('caps System V shared memory and frees it with the candidate; a message queue carries nothing over', async () => {
    const before = hostShmemKb();
    const shmLimits = { memoryBytes: 128 * 1024 * 1024, wallMs: 20_000, cpuSeconds: 10 };
    const grown = await runPython(sandbox, { code: shmAttack, limits: shmLimits });
    expect(grown.status).toBe('ok');
    const report = JSON.parse(grown.stdout) as {
      total: number;
      stopped: number | null;
      limits: Record<string, string>;
      unshare: number;
    };
    // Capped at min(memoryBytes, 256 MiB) per candidate, and the cap cannot be raised or escaped.
    expect(report.total).toBeGreaterThan(0);
    expect(report.total).toBeLessThanOrEqual(shmLimits.memoryBytes);
    expect(report.stopped).not.toBeNull();
    expect(Object.values(report.limits)).not.toContain('raised');
    expect(report.unshare).toBe(-1);
    // Host shared memory is back to its level (other users of this machine move it a little; the
    // kernel frees a dead IPC namespace from a work queue, a moment after its last process).
    expect(await settledShmemKb(before)).toBeLessThan(64 * 1024);
    const sent = JSON.parse((await runPython(sandbox, { code: queue(true) })).stdout) as { sent: number };
    expect(sent.sent).toBe(0);
    const received = JSON.parse((await runPython(sandbox, { code: queue(false) })).stdout) as {
      ident: number;
      errno: number;
    };
    expect(received).toMatchObject({ ident: -1, errno: 2 });
  }, 120_000);
});

/**
 * The Python program that runs inside the bubblewrap sandbox (embedded as a string so that it is
 * found the same way from `src/` and `dist/`; it is passed to `python3 -I -c`).
 *
 * Protocol: frames of a 4-byte big-endian length and UTF-8 JSON, requests on fd 0, replies on
 * fd 1. The first reply is `{"ready": true}`. Each request runs in a fresh forked child: own
 * session, rlimits applied, fds 0-2 pointing at files, every other fd closed, cwd an empty
 * directory in the private /tmp (with the request's fixture files written into it). After the child
 * ends, `kill(-1, SIGKILL)` removes every other process in the pid namespace, the worker lists the
 * working directory itself (so a candidate cannot forge the listing) and wipes /tmp. With
 * `--once`, the worker answers one request and exits.
 */
// biome-ignore lint/complexity/noUselessStringRaw: keeps any backslash escape a later edit adds literal Python
export const workerSource = String.raw`
import base64, hashlib, io, json, os, resource, select, shutil, signal, struct, sys, time, traceback

ROOT = '/tmp'
PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open('/dev/null', os.O_RDWR)
os.dup2(_null, 0)
os.dup2(2, 1)

def read_exact(count):
    chunks = []
    while count > 0:
        chunk = os.read(PROTO_IN, count)
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b''.join(chunks)

def read_frame():
    head = read_exact(4)
    if head is None:
        return None
    body = read_exact(struct.unpack('>I', head)[0])
    return None if body is None else json.loads(body.decode('utf-8'))

def write_frame(value):
    body = json.dumps(value).encode('utf-8')
    data = struct.pack('>I', len(body)) + body
    while data:
        data = data[os.write(PROTO_OUT, data):]

def clip(text, limit):
    return text if len(text) <= limit else text[:limit]

def read_clipped(path, limit):
    try:
        with open(path, 'rb') as handle:
            data = handle.read(limit + 1)
    except OSError:
        return '', False
    return data[:limit].decode('utf-8', 'replace'), len(data) > limit

def apply_limits(limits):
    cpu = max(1, int(limits['cpuSeconds'] + 0.999))
    pairs = [
        (resource.RLIMIT_CPU, (cpu, cpu + 1)),
        (resource.RLIMIT_AS, (limits['memoryBytes'], limits['memoryBytes'])),
        (resource.RLIMIT_NPROC, (limits['maxProcesses'], limits['maxProcesses'])),
        (resource.RLIMIT_FSIZE, (limits['maxFileBytes'], limits['maxFileBytes'])),
        (resource.RLIMIT_NOFILE, (256, 256)),
        (resource.RLIMIT_CORE, (0, 0)),
    ]
    for kind, value in pairs:
        resource.setrlimit(kind, value)

def write_fixture(workdir, files):
    for entry in files:
        path = os.path.normpath(entry['path'])
        if path.startswith('/') or path == '..' or path.startswith('../'):
            raise ValueError('fixture path escapes the working directory: ' + entry['path'])
        target = os.path.join(workdir, path)
        if entry.get('type') == 'dir':
            os.makedirs(target, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'wb') as handle:
            handle.write(base64.b64decode(entry.get('contentBase64', '')))
        if 'mode' in entry:
            os.chmod(target, entry['mode'])

def run_python(request, outdir):
    globals_ = {'__name__': '__main__', '__builtins__': __builtins__}
    reply = {}
    try:
        exec(compile(request['code'], '<candidate>', 'exec'), globals_)
        if request.get('expression'):
            value = eval(compile(request['expression'], '<expression>', 'eval'), globals_)
            reply['resultRepr'] = clip(repr(value), request['limits']['maxOutputBytes'])
            try:
                text = json.dumps(value, sort_keys=True)
                if len(text) <= request['limits']['maxOutputBytes']:
                    reply['result'] = json.loads(text)
            except (TypeError, ValueError):
                pass
        reply['status'] = 'ok'
    except SystemExit as exit_:
        code = exit_.code
        reply['status'] = 'ok' if code in (None, 0) else 'error'
        if reply['status'] == 'error':
            reply['error'] = 'SystemExit: ' + str(code)
    except BaseException as error:
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        frames = [line for line in lines if 'File "<string>"' not in line]
        reply['status'] = 'error'
        reply['error'] = clip((type(error).__name__ + ': ' + str(error)).splitlines()[0] if str(error) else type(error).__name__, 500)
        reply['traceback'] = clip(''.join(frames), 4000)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    fd = os.open(outdir + '/result', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, json.dumps(reply).encode('utf-8'))
    os.close(fd)

def child_main(request, workdir, outdir):
    os.setsid()
    stdin_path = outdir + '/stdin'
    with open(stdin_path, 'wb') as handle:
        handle.write(request.get('stdin', '').encode('utf-8'))
    fds = [os.open(stdin_path, os.O_RDONLY),
           os.open(outdir + '/stdout', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
           os.open(outdir + '/stderr', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.closerange(3, 1 << 16)
    for number in (signal.SIGXFSZ, signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    apply_limits(request['limits'])
    os.chdir(workdir)
    if request['kind'] == 'bash':
        os.execve('/bin/bash', ['bash', '-c', request['code']], dict(os.environ))
    sys.stdin = open(0, 'r', encoding='utf-8', errors='replace', closefd=False)
    sys.stdout = open(1, 'w', encoding='utf-8', errors='backslashreplace', closefd=False)
    sys.stderr = open(2, 'w', encoding='utf-8', errors='backslashreplace', closefd=False)
    run_python(request, outdir)

def other_pids():
    me = os.getpid()
    return [int(name) for name in os.listdir('/proc') if name.isdigit() and int(name) not in (1, me)]

def wait_child(pid, deadline):
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if pidfd is not None:
            select.select([pidfd], [], [], remaining)
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done == pid:
            if pidfd is not None:
                os.close(pidfd)
            return status, usage
        if pidfd is None:
            time.sleep(0.002)

def wait_descendants(deadline):
    while other_pids():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)
    return True

def list_tree(workdir, limit):
    entries = []
    for base, dirs, files in os.walk(workdir, followlinks=False):
        for name in sorted(dirs + files):
            full = os.path.join(base, name)
            info = os.lstat(full)
            entry = {'path': os.path.relpath(full, workdir), 'mode': info.st_mode & 0o7777}
            if os.path.islink(full):
                entry.update(type='symlink', size=0, target=os.readlink(full))
            elif os.path.isdir(full):
                entry.update(type='dir', size=0)
            else:
                entry.update(type='file', size=info.st_size)
                try:
                    with open(full, 'rb') as handle:
                        entry['sha256'] = hashlib.sha256(handle.read()).hexdigest()
                except OSError as error:
                    entry['error'] = str(error)
            entries.append(entry)
        if len(entries) > limit:
            break
    entries.sort(key=lambda entry: entry['path'])
    return entries[:limit]

def wipe_tmp():
    for base, dirs, _ in os.walk(ROOT):
        for name in dirs:
            try:
                os.chmod(os.path.join(base, name), 0o700)
            except OSError:
                pass
    for name in os.listdir(ROOT):
        full = os.path.join(ROOT, name)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        else:
            os.unlink(full)

def classify(request, reply, status, usage, timed_out, outdir):
    limits = request['limits']
    if timed_out:
        reply.update(status='timeout', error='wall time limit of %d ms exceeded' % limits['wallMs'])
        return
    cpu = usage.ru_utime + usage.ru_stime
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        reply['signal'] = signal.Signals(number).name
        if number == signal.SIGXCPU or (number == signal.SIGKILL and cpu >= limits['cpuSeconds'] - 0.05):
            reply.update(status='timeout', error='CPU time limit of %s s exceeded' % limits['cpuSeconds'])
        elif number == signal.SIGXFSZ:
            reply.update(status='crash', error='output or file size limit of %d bytes exceeded' % limits['maxFileBytes'])
        else:
            reply.update(status='crash', error='killed by ' + reply['signal'])
        return
    code = os.WEXITSTATUS(status)
    reply['exitCode'] = code
    if request['kind'] == 'bash':
        reply.update(status='ok' if code == 0 else 'error', result=code)
        if code != 0:
            reply['error'] = 'exited with code %d' % code
        if code > 128 and code - 128 in signal.valid_signals():
            reply['error'] += ' (a command was killed by %s)' % signal.Signals(code - 128).name
        return
    try:
        with open(outdir + '/result', 'rb') as handle:
            reply.update(json.loads(handle.read().decode('utf-8')))
    except (OSError, ValueError):
        reply.update(status='error', error='exited with code %d before finishing' % code)

def serve(request):
    started = time.monotonic()
    limits = request['limits']
    reply = {'id': request['id']}
    workdir, outdir = ROOT + '/work', ROOT + '/.io'
    os.mkdir(workdir)
    os.mkdir(outdir, 0o700)
    write_fixture(workdir, request.get('files', []))
    pid = os.fork()
    if pid == 0:
        try:
            child_main(request, workdir, outdir)
            os._exit(0)
        except BaseException:
            os._exit(70)
    deadline = started + limits['wallMs'] / 1000.0
    waited = wait_child(pid, deadline)
    timed_out = waited is None or not wait_descendants(deadline)
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    if waited is None:
        waited = os.wait4(pid, 0)[1:]
    reply['durationMs'] = round((time.monotonic() - started) * 1000, 3)
    classify(request, reply, waited[0], waited[1], timed_out, outdir)
    for stream in ('stdout', 'stderr'):
        text, truncated = read_clipped(outdir + '/' + stream, limits['maxOutputBytes'])
        reply[stream] = text
        if truncated:
            reply[stream + 'Truncated'] = True
    if request['kind'] == 'bash':
        reply['files'] = list_tree(workdir, 1000)
    return reply

def main():
    once = '--once' in sys.argv
    write_frame({'ready': True, 'python': sys.version.split()[0]})
    while True:
        request = read_frame()
        if request is None:
            return
        healthy = True
        try:
            reply = serve(request)
        except BaseException as error:
            reply = {'id': request.get('id'), 'status': 'crash', 'error': 'worker: ' + repr(error)[:300], 'stdout': '', 'stderr': '', 'durationMs': 0}
            healthy = False
        try:
            wipe_tmp()
        except OSError:
            healthy = False
        write_frame(reply)
        if once or not healthy:
            return

main()
`;

/**
 * Python for the worker's loop: read a request from symgen, write the fixture and stdin, plan the
 * checks, run the candidate through the zygote under the wall-time deadline (killing its pid 1 ends
 * everything it started), classify how it ended, judge it, read its output files without
 * following links, wipe /tmp, reply. At start one candidate setup is tried: without nested
 * namespaces the worker says so in its first frame instead of running candidates unisolated.
 */
// biome-ignore lint/complexity/noUselessStringRaw: keeps any backslash escape a later edit adds literal Python
export const workerMainSource = String.raw`
def other_pids(keep):
    return [int(name) for name in os.listdir('/proc') if name.isdigit() and int(name) not in keep]

def read_clipped(path, limit):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return '', False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return '', False
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    return data[:limit].decode('utf-8', 'replace'), len(data) > limit

def list_tree(workdir, limit):
    import hashlib
    entries = []
    for base, dirs, files in os.walk(workdir, followlinks=False):
        for name in sorted(dirs + files):
            full = os.path.join(base, name)
            info = os.lstat(full)
            entry = {'path': os.path.relpath(full, workdir), 'mode': info.st_mode & 0o7777}
            if stat.S_ISLNK(info.st_mode):
                entry.update(type='symlink', size=0, target=os.readlink(full))
            elif stat.S_ISDIR(info.st_mode):
                entry.update(type='dir', size=0)
            else:
                entry.update(type='file', size=info.st_size)
                try:
                    fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                    try:
                        if stat.S_ISREG(os.fstat(fd).st_mode):
                            digest = hashlib.sha256()
                            while True:
                                chunk = os.read(fd, 1 << 20)
                                if not chunk:
                                    break
                                digest.update(chunk)
                            entry['sha256'] = digest.hexdigest()
                        else:
                            entry['error'] = 'not a regular file'
                    finally:
                        os.close(fd)
                except OSError as error:
                    entry['error'] = str(error)
            entries.append(entry)
        if len(entries) > limit:
            break
    entries.sort(key=lambda entry: entry['path'])
    return entries[:limit]

def wipe_tmp():
    import shutil
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

class CandidateGone(Exception):
    pass

class JudgeTimeout(BaseException):
    pass

class Session:
    # One candidate's run as the worker sees it: its request pipe (worker to candidate), its values
    # pipe (candidate to worker: frames of typed values, never verdicts) and how its end is learnt
    # (a pidfd, or the zygote's socket). Every wait is bounded by the wall-time deadline; past it
    # the candidate, pid 1 of its namespace, is killed with everything it started.
    def __init__(self, pid, request_w, values_r, status_fd, read_status, deadline):
        self.pid, self.request_w, self.values_r = pid, request_w, values_r
        self.status_fd, self.read_status, self.deadline = status_fd, read_status, deadline
        self.buffer, self.size, self.status = bytearray(), 0, None
        self.timed_out = self.overflow = False

    def kill(self):
        if not self.timed_out:
            self.timed_out = True
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass

    def step(self):
        # Read what the candidate wrote or learn that it ended; False once nothing more can come.
        if self.values_r is None and self.status is not None:
            return False
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.kill()
        watched = ([self.status_fd] if self.status is None else []) + ([self.values_r] if self.values_r is not None else [])
        ready = select.select(watched, [], [], None if self.timed_out else max(remaining, 0))[0]
        if self.values_r is not None and self.values_r in ready:
            chunk = os.read(self.values_r, 65536)
            if not chunk or self.size + len(chunk) > MAX_VALUES_BYTES:
                os.close(self.values_r)
                self.values_r = None
                self.overflow = self.overflow or bool(chunk)
            else:
                self.buffer += chunk
                self.size += len(chunk)
        if self.status is None and self.status_fd in ready:
            self.status = self.read_status()
        return True

    def next_frame(self):
        # The candidate's next frame (bytes), or None when it ended, overran or broke the framing.
        while True:
            if len(self.buffer) >= 4:
                length = struct.unpack('>I', bytes(self.buffer[:4]))[0]
                if length > MAX_VALUES_BYTES:
                    self.overflow = True
                    return None
                if len(self.buffer) >= 4 + length:
                    frame = bytes(self.buffer[4:4 + length])
                    del self.buffer[:4 + length]
                    return frame
            if self.overflow or not self.step():
                return None

    def send(self, data):
        # Write to the candidate without ever blocking past the deadline (it may stop reading).
        view = memoryview(data)
        while view:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                return False
            if not select.select([], [self.request_w], [], remaining)[1]:
                continue
            try:
                view = view[os.write(self.request_w, view):]
            except BlockingIOError:
                continue
            except OSError:
                return False
        return True

    def start(self, payload, serve):
        os.set_blocking(self.request_w, False)
        self.send(payload)
        if not serve:
            self.close_request()

    def close_request(self):
        if self.request_w is not None:
            os.close(self.request_w)
            self.request_w = None

    def ask(self, message):
        # One question of a check-style test to the candidate; its decoded answer.
        if self.request_w is None or not self.send(frame_bytes(message)):
            raise JudgeTimeout() if self.timed_out else CandidateGone()
        reply = self.next_frame()
        if self.timed_out:
            raise JudgeTimeout()
        if reply is None:
            raise CandidateGone()
        return json.loads(reply.decode('utf-8'))

    def finish(self):
        # Let the candidate end (its request pipe closed), drain its values, and return
        # ((wait status, CPU seconds), timed_out).
        self.close_request()
        while self.step():
            pass
        return self.status, self.timed_out

class Zygote:
    # Warm workers: a zygote forked before any request clones each candidate.
    def __init__(self):
        self.pid, self.control = start_zygote()

    def run(self, command, payload, deadline, serve=False):
        self.control.sendall(command)
        message, fds, _, _ = sys.modules['socket'].recv_fds(self.control, 256, 2)
        if message.startswith(b'error'):
            raise OSError(message.decode('utf-8', 'replace'))
        def read_status():
            text = self.control.recv(128)
            if not text:
                raise OSError('the zygote died')
            _, number, utime, stime = text.split()
            return int(number), float(utime) + float(stime)
        session = Session(int(message.split()[1]), fds[0], fds[1], self.control, read_status, deadline)
        session.start(payload, serve)
        return session

class PreCloned:
    # --once: the worker clones its one candidate at start, before it reads any request, so its
    # memory is as clean as a zygote's and no zygote is needed.
    def __init__(self):
        self.pid = None
        request_r, self.request_w = os.pipe()
        self.values_r, values_w = os.pipe()
        pid = clone_isolated()
        if pid == 0:
            code = 0
            try:
                os.close(self.request_w)
                os.close(self.values_r)
                child_main(request_r, values_w)
            except BaseException:
                code = 70
            os._exit(code)
        self.child = pid
        os.close(request_r)
        os.close(values_w)

    def run(self, command, payload, deadline, serve=False):
        # The pidfd lives as long as this --once worker.
        pidfd = os.pidfd_open(self.child)
        def read_status():
            _, number, usage = os.wait4(self.child, 0)
            return number, usage.ru_utime + usage.ru_stime
        session = Session(self.child, self.request_w, self.values_r, pidfd, read_status, deadline)
        session.start(payload, serve)
        return session

def classify(request, reply, status, cpu, timed_out):
    limits = request['limits']
    if timed_out:
        reply.update(status='timeout', error='wall time limit of %d ms exceeded' % limits['wallMs'])
        return False
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        reply['signal'] = signal.Signals(number).name
        # The CPU limit is soft = hard, so the kernel kills with SIGKILL (a candidate is pid 1 of
        # its namespace and would ignore SIGXCPU); rusage lags the kernel's precise clock a little.
        if number == signal.SIGXCPU or (number == signal.SIGKILL and cpu >= limits['cpuSeconds'] * 0.75):
            reply.update(status='timeout', error='CPU time limit of %s s exceeded' % limits['cpuSeconds'])
        elif number == signal.SIGXFSZ:
            reply.update(status='crash', error='output or file size limit of %d bytes exceeded' % limits['maxFileBytes'])
        else:
            reply.update(status='crash', error='killed by ' + reply['signal'])
        return False
    code = os.WEXITSTATUS(status)
    reply['exitCode'] = code
    if request['kind'] == 'bash':
        reply.update(status='ok' if code == 0 else 'error', result=code)
        if code != 0:
            reply['error'] = 'exited with code %d' % code
        if code > 128 and code - 128 in signal.valid_signals():
            reply['error'] += ' (a command was killed by %s)' % signal.Signals(code - 128).name
        return False
    return True

def serve(zygote, request):
    started = time.monotonic()
    limits = request['limits']
    reply = {'id': request['id']}
    workdir, outdir = ROOT + '/work', ROOT + '/.io'
    os.mkdir(workdir)
    os.mkdir(outdir, 0o700)
    write_fixture(workdir, request.get('files', []))
    with open(outdir + '/stdin', 'wb') as handle:
        handle.write(request.get('stdin', '').encode('utf-8'))
    steps, checks, test_steps, module = plan(request)
    serve_calls = module is not None
    payload = {'kind': request['kind'], 'code': request['code'], 'steps': steps, 'limits': limits}
    if serve_calls:
        payload['serve'] = True
    deadline = started + limits['wallMs'] / 1000.0
    session = zygote.run(b'run', frame_bytes(payload), deadline, serve_calls)
    values = session.next_frame()
    judged = None
    if serve_calls and values is not None:
        # Check-style tests run here, while the candidate answers for its names.
        judged = judge_module(request.get('tests') or [], module, session)
    waited, timed_out = session.finish()
    if values is None:
        # None tells judge_python the program overran the cap; b'' that it reported nothing.
        values = None if session.overflow else b''
    leftovers = other_pids({1, os.getpid(), zygote.pid})
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    reply['durationMs'] = round((time.monotonic() - started) * 1000, 3)
    if classify(request, reply, waited[0], waited[1], timed_out):
        judge_python(request, reply, steps, checks, test_steps, values, judged)
    for stream in ('stdout', 'stderr'):
        text, truncated = read_clipped(outdir + '/' + stream, limits['maxOutputBytes'])
        reply[stream] = text
        if truncated:
            reply[stream + 'Truncated'] = True
    if request['kind'] == 'bash':
        reply['files'] = list_tree(workdir, 1000)
    return reply, not leftovers

def self_check(zygote):
    # One candidate's setup, run once at start: without nested namespaces there is no sandbox
    # worth the name, and symgen says so instead of running candidates unisolated.
    limits = {'memoryBytes': 64 * 1024 * 1024}
    session = zygote.run(b'probe', frame_bytes({'limits': limits}), time.monotonic() + 10)
    values = session.next_frame()
    waited, timed_out = session.finish()
    if timed_out or waited[0] != 0:
        detail = (values or b'').decode('utf-8', 'replace')[:300]
        return 'a candidate cannot be isolated here: nested user, pid, mount and IPC namespaces inside bubblewrap failed ' + detail
    return None

def main():
    once = '--once' in sys.argv
    zygote = PreCloned() if once else Zygote()
    # The worker itself evaluates only test code on builtin values, but bound it all the same.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    # A candidate that cannot be isolated reports "sandbox setup failed"; a warm worker tries one
    # setup first, so that the sandbox refuses to open instead.
    problem = None if once else self_check(zygote)
    if problem:
        write_frame({'ready': False, 'error': problem})
        return
    ready = {'ready': True, 'python': sys.version.split()[0]}
    if WORKER_COMPILED is not None:
        # Compiled from source by this worker, which has run no candidate yet: symgen hands it to
        # the next workers, which then skip the compile (see workerBootstrap).
        ready['compiled'] = base64.b64encode(WORKER_COMPILED).decode('ascii')
    write_frame(ready)
    while True:
        request = read_frame()
        if request is None:
            return
        healthy = True
        try:
            reply, healthy = serve(zygote, request)
        except BaseException as error:
            reply = {'id': request.get('id'), 'status': 'crash', 'error': 'worker: ' + repr(error)[:300], 'stdout': '', 'stderr': '', 'durationMs': 0}
            healthy = False
        try:
            # --once: the private /tmp goes with the sandbox.
            if not once:
                wipe_tmp()
        except OSError:
            healthy = False
        write_frame(reply)
        if once:
            # Nothing is left to do: skip the interpreter's teardown, which would touch (and, after
            # the clone, copy) every page of the worker for nothing.
            os._exit(0)
        if not healthy:
            return

main()
`;

/**
 * Python for the candidate's side of the sandbox (see docs/architecture.md, threat model):
 * - `zygote_main`: forked by the worker before it reads any request; clones one process per
 *   candidate, so a candidate's memory holds nothing of the worker's (no request, expected value,
 *   earlier candidate's code or output).
 * - `clone_isolated` and `candidate_setup`: the candidate is pid 1 of new user, pid, mount and IPC
 *   namespaces (the worker and zygote have no pid it can name; everything it starts dies with it;
 *   its SysV IPC objects die with it), with its own /proc, IPC memory capped, /proc/sys read-only,
 *   no further namespaces, and in an inner user namespace that owns none of them, with no
 *   capabilities and no_new_privs.
 * - `run_candidate`: runs the code, then the steps the worker planned (test statements, probes,
 *   calls on shared inputs), and reports typed builtin values on the values pipe (fd 3). The
 *   candidate can tamper with all of this; nothing here decides a verdict.
 */
// biome-ignore lint/complexity/noUselessStringRaw: keeps any backslash escape a later edit adds literal Python
export const workerCandidateSource = String.raw`
def clone_isolated():
    # One clone into a new user, pid, mount and IPC namespace: the child is pid 1 of its own pid
    # namespace, so the worker and the zygote have no pid it can name, and everything it starts
    # dies with it; its SysV IPC objects die with its IPC namespace.
    if SYSCALLS is None:
        raise OSError('nested namespaces need x86_64 or aarch64, not ' + os.uname().machine)
    flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | signal.SIGCHLD
    zero = ctypes.c_ulong(0)
    return libc_check(LIBC.syscall(ctypes.c_long(SYSCALLS[0]), ctypes.c_ulong(flags), zero, zero, zero, zero), 'clone')

def map_ids(uid_inside, uid_outside, gid_inside, gid_outside):
    write_file('/proc/self/setgroups', b'deny')
    write_file('/proc/self/uid_map', b'%d %d 1' % (uid_inside, uid_outside))
    write_file('/proc/self/gid_map', b'%d %d 1' % (gid_inside, gid_outside))

def ipc_sysctls(limits):
    page = os.sysconf('SC_PAGE_SIZE')
    shm = min(limits['memoryBytes'], 256 * 1024 * 1024)
    values = [
        ('kernel/shmmax', shm), ('kernel/shmall', shm // page), ('kernel/shmmni', 64),
        ('kernel/msgmni', 16), ('kernel/msgmnb', 65536), ('kernel/msgmax', 8192),
        ('kernel/sem', '64 1024 32 32'), ('fs/mqueue/queues_max', 16),
        ('user/max_user_namespaces', 1), ('user/max_ipc_namespaces', 1),
        ('user/max_mnt_namespaces', 1), ('user/max_pid_namespaces', 1),
    ]
    for name, value in values:
        write_file('/proc/sys/' + name, str(value).encode())

def drop_capabilities():
    for number in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, number, 0, 0, 0) != 0:
            break
    LIBC.prctl(PR_CAP_AMBIENT, 4, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    libc_check(LIBC.syscall(ctypes.c_long(SYSCALLS[1]), header, data), 'capset')
    libc_check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 'prctl(PR_SET_NO_NEW_PRIVS)')

def candidate_setup(limits):
    # Middle user namespace: root (our own uid outside) may mount a /proc of the new pid
    # namespace, cap SysV IPC and forbid further namespaces, then freeze /proc/sys read-only.
    # A clone of the non-dumpable zygote: dumpable again, or it cannot write its own id maps.
    libc_check(LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 'prctl(PR_SET_DUMPABLE)')
    map_ids(0, HOST_UID, 0, HOST_GID)
    flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    libc_check(LIBC.mount(b'proc', b'/proc', b'proc', flags, None), 'mount /proc')
    ipc_sysctls(limits)
    libc_check(LIBC.mount(b'/proc/sys', b'/proc/sys', None, MS_BIND, None), 'bind /proc/sys')
    libc_check(LIBC.mount(None, b'/proc/sys', None, MS_BIND | MS_REMOUNT | MS_RDONLY | flags, None), 'remount /proc/sys')
    # Inner user namespace: the candidate's uid is ours again and it owns none of its namespaces,
    # so it can neither unmount /proc nor change the limits above.
    libc_check(LIBC.unshare(CLONE_NEWUSER), 'unshare(CLONE_NEWUSER)')
    map_ids(HOST_UID, 0, HOST_GID, 0)
    drop_capabilities()

def apply_limits(limits):
    cpu = max(1, int(limits['cpuSeconds'] + 0.999))
    pairs = [
        (resource.RLIMIT_CPU, (cpu, cpu)),
        (resource.RLIMIT_AS, (limits['memoryBytes'], limits['memoryBytes'])),
        (resource.RLIMIT_NPROC, (limits['maxProcesses'], limits['maxProcesses'])),
        (resource.RLIMIT_FSIZE, (limits['maxFileBytes'], limits['maxFileBytes'])),
        (resource.RLIMIT_NOFILE, (256, 256)),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_MSGQUEUE, (65536, 65536)),
    ]
    for kind, value in pairs:
        resource.setrlimit(kind, value)

ITERATOR_TYPES = tuple({type(iter(x)) for x in ([], (), '', b'', range(0), {}, set(), {}.keys(), {}.values(), {}.items(), bytearray())} |
                       {types.GeneratorType, map, filter, zip, enumerate, reversed})

MAX_ITEMS = 200000

class NotEncodable(TypeError):
    pass

def make_encoder(strict=False):
    # Captured before the candidate runs, so that rebinding builtins does not change the encoding.
    # Only exact builtin types are encoded; anything else (a subclass, an object with its own
    # __eq__ or __repr__) is reported by type name and never equals anything on the worker side.
    # A Fraction or Decimal can exist only if the candidate imported its module.
    modules = sys.modules
    _type, _len, _str, _list, _hex, _b64 = type, len, str, list, hex, base64.b64encode
    islice = itertools.islice
    iterator_types = ITERATOR_TYPES + tuple(value for value in vars(itertools).values() if isinstance(value, type))
    keys_t, values_t, items_t = type({}.keys()), type({}.values()), type({}.items())
    counter = {'items': 0}
    def seq(tag, items, depth):
        counter['items'] += _len(items)
        if counter['items'] > MAX_ITEMS:
            return ['?', 'too many items']
        return [tag, [enc(item, depth + 1) for item in items]]
    def enc(value, depth=0):
        kind = _type(value)
        if depth > 100:
            return ['?', 'nested too deeply']
        if value is None or kind is bool or kind is _str:
            return value
        if kind is int:
            return ['i', _hex(value)]
        if kind is float:
            return ['f', float.hex(value)]
        if kind is complex:
            return ['c', float.hex(value.real), float.hex(value.imag)]
        if kind is bytes or kind is bytearray:
            return ['b' if kind is bytes else 'ba', _b64(value).decode('ascii')]
        if kind is list or kind is tuple or kind is set or kind is frozenset:
            return seq({list: 'l', tuple: 't', set: 's', frozenset: 'fs'}[kind], _list(value), depth)
        if kind is dict or kind is collections.OrderedDict or kind is collections.defaultdict or kind is collections.Counter:
            tag = {dict: 'd', collections.OrderedDict: 'od', collections.defaultdict: 'd', collections.Counter: 'ct'}[kind]
            return [tag, seq('l', [[key, item] for key, item in dict.items(value)], depth)[1]]
        if kind is collections.deque:
            return seq('dq', _list(value), depth)
        if kind is range:
            return ['r', _hex(value.start), _hex(value.stop), _hex(value.step)]
        if kind is getattr(modules.get('fractions'), 'Fraction', None):
            return ['q', _hex(value.numerator), _hex(value.denominator)]
        if kind is getattr(modules.get('decimal'), 'Decimal', None):
            return ['D', kind.__str__(value)]
        if kind is keys_t or kind is values_t or kind is items_t:
            return seq({keys_t: 'dk', values_t: 'dv', items_t: 'di'}[kind], _list(value), depth)
        if kind in iterator_types:
            items = _list(islice(value, 10001))
            if _len(items) > 10000:
                return ['?', 'iterator of more than 10000 items']
            return seq('it', items, depth)
        if strict:
            raise NotEncodable('symgen passes only builtin values to the program, not ' + getattr(kind, '__qualname__', 'object'))
        return ['?', getattr(kind, '__qualname__', 'object')]
    def encode(value):
        counter['items'] = 0
        return enc(value)
    return encode

def failure(error):
    try:
        import traceback
        lines = traceback.format_exception(type(error), error, error.__traceback__)
    except BaseException:
        # Out of memory, or a module the candidate broke: the error's name and text still count.
        lines = []
    frames = [line for line in lines if 'File "<string>"' not in line]
    text = str(error)
    return {'error': clip(type(error).__name__ + (': ' + text.splitlines()[0] if text.strip() else ''), 500),
            'traceback': clip(''.join(frames), 4000)}

def entry_function(scope, name):
    if name:
        found = scope.get(name)
        return found if callable(found) else None
    functions = [value for key, value in list(scope.items())
                 if isinstance(value, types.FunctionType) and not key.startswith('__symgen')]
    return functions[-1] if functions else None

def serve_calls(scope, request_fd, values_fd, encode, decode_value, read_message, send):
    # Check-style tests run in the worker; the names they take from the program come here, one
    # message at a time: ['lookup', name] answers what the name is (a callable stays here, any
    # other value goes back encoded), ['call', name, args, kwargs] calls it on decoded builtin
    # arguments and sends back the encoded value or the exception. Only values cross; the test
    # code, its expected values and its outcomes stay in the worker.
    missing = object()
    while True:
        message = read_message(request_fd)
        if message is None:
            return
        message = json.loads(message.decode('utf-8'))
        try:
            value = scope.get(message[1], missing)
            if message[0] == 'lookup':
                reply = ['missing'] if value is missing else ['callable'] if callable(value) else ['ok', encode(value)]
            elif value is missing:
                raise NameError("name '%s' is not defined" % message[1])
            else:
                reply = ['ok', encode(value(*decode_value(message[2]), **decode_value(message[3])))]
        except SystemExit:
            return
        except BaseException as error:
            reply = ['raise', type(error).__name__, clip(str(error), 500), failure(error)['traceback']]
        send(values_fd, reply)

def send_frame(fd, value):
    data = frame_bytes(value)
    while data:
        data = data[os.write(fd, data):]

def run_candidate(request, values_fd, request_fd=None):
    encode = make_encoder()
    decode_value, read_message, send = decode, read_frame_bytes, send_frame
    dumps, write, getpid, exit_now = json.dumps, os.write, os.getpid, os._exit
    module = types.ModuleType('__main__')
    scope = module.__dict__
    sys.modules['__main__'] = module
    report = {'steps': []}
    steps = request.get('steps', [])
    try:
        exec(compile(request['code'], '<candidate>', 'exec'), scope)
    except SystemExit as exit_:
        report['exit'] = repr(exit_.code)
    except BaseException as error:
        report['raised'] = failure(error)
    else:
        entry = None
        for step in steps:
            try:
                if step[0] == 'exec':
                    exec(compile(step[1], '<test>', 'exec'), scope)
                    report['steps'].append(['ok'])
                elif step[0] == 'eval':
                    report['steps'].append(['ok', encode(eval(compile(step[1], '<test>', 'eval'), scope))])
                else:
                    if entry is None:
                        entry = entry_function(scope, step[1])
                        if entry is None:
                            raise NameError('no function ' + (step[1] or 'defined') + ' to call on the inputs')
                    source = step[2]
                    arguments = eval('(' + source + ',)', dict(scope)) if source.strip() else ()
                    report['steps'].append(['ok', encode(entry(*arguments))])
            except SystemExit as exit_:
                report['exit'] = repr(exit_.code)
                break
            except BaseException as error:
                report['steps'].append(['raise'] + [failure(error)[key] for key in ('error', 'traceback')])
                if step[0] == 'exec':
                    break
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    if getpid() != 1:
        # A process the candidate forked that returned here: only the candidate reports.
        exit_now(0)
    report['done'] = True
    send(values_fd, report)
    if request_fd is not None and 'exit' not in report and 'raised' not in report:
        try:
            serve_calls(scope, request_fd, values_fd, encode, decode_value, read_message, send)
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:
                    pass

def setup_failed(values_fd, error):
    try:
        write_all(values_fd, frame_bytes({'setupError': str(error)[:300]}))
    finally:
        os._exit(71)

def read_request(request_fd):
    return json.loads(read_frame_bytes(request_fd).decode('utf-8'))

def child_main(request_fd, values_fd):
    try:
        request = read_request(request_fd)
        # serve: check-style tests will ask for names and calls on the request pipe.
        serve = request['kind'] == 'python' and request.get('serve') is True
        if not serve:
            os.close(request_fd)
        candidate_setup(request['limits'])
    except BaseException as error:
        setup_failed(values_fd, error)
    os.setsid()
    outdir = ROOT + '/.io'
    fds = [os.open(outdir + '/stdin', os.O_RDONLY | os.O_NOFOLLOW),
           os.open(outdir + '/stdout', os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600),
           os.open(outdir + '/stderr', os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)]
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    keep = 3 if request['kind'] == 'python' else None
    if keep is not None:
        import fcntl
        # Out of the way first: the pipes may sit on 3 or 4 themselves.
        values_fd = fcntl.fcntl(values_fd, fcntl.F_DUPFD_CLOEXEC, 64)
        if serve:
            request_fd = fcntl.fcntl(request_fd, fcntl.F_DUPFD_CLOEXEC, 64)
            os.dup2(request_fd, 4, inheritable=False)
        os.dup2(values_fd, keep, inheritable=False)
    os.closerange(3 if keep is None else 5 if serve else 4, 1 << 16)
    for number in (signal.SIGXFSZ, signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    apply_limits(request['limits'])
    os.chdir(ROOT + '/work')
    if request['kind'] == 'bash':
        os.execve('/bin/bash', ['bash', '-c', request['code']], dict(os.environ))
    sys.stdin = open(0, 'r', encoding='utf-8', errors='replace', closefd=False)
    sys.stdout = open(1, 'w', encoding='utf-8', errors='backslashreplace', closefd=False)
    sys.stderr = open(2, 'w', encoding='utf-8', errors='backslashreplace', closefd=False)
    run_candidate(request, keep, 4 if serve else None)

def zygote_main(control):
    for fd in range(3, 1 << 10):
        if fd not in (control.fileno(), _null):
            try:
                os.close(fd)
            except OSError:
                pass
    for target in (0, 1, 2):
        os.dup2(_null, target)
    while True:
        try:
            command = control.recv(64)
        except OSError:
            command = b''
        if not command:
            os._exit(0)
        request_r, request_w = os.pipe()
        values_r, values_w = os.pipe()
        try:
            pid = clone_isolated()
        except OSError as error:
            control.sendall(b'error ' + str(error).encode('utf-8', 'replace')[:200])
            for fd in (request_r, request_w, values_r, values_w):
                os.close(fd)
            continue
        if pid == 0:
            code = 0
            try:
                control.close()
                os.close(request_w)
                os.close(values_r)
                if command == b'probe':
                    try:
                        candidate_setup(read_request(request_r)['limits'])
                    except BaseException as error:
                        setup_failed(values_w, error)
                else:
                    child_main(request_r, values_w)
            except BaseException:
                code = 70
            os._exit(code)
        os.close(request_r)
        os.close(values_w)
        sys.modules['socket'].send_fds(control, [b'pid %d' % pid], [request_w, values_r])
        os.close(request_w)
        os.close(values_r)
        _, status, usage = os.wait4(pid, 0)
        control.sendall(b'exit %d %r %r' % (status, usage.ru_utime, usage.ru_stime))

def start_zygote():
    import socket
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        ours.close()
        try:
            zygote_main(theirs)
        finally:
            os._exit(0)
    theirs.close()
    return pid, ours
`;

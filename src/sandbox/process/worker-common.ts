/**
 * Python shared by every process of the sandbox (worker, zygote, candidate): imports, the
 * protocol descriptors moved off fds 0 and 1, libc through ctypes, frame helpers. The worker makes
 * itself non-dumpable at once, so that no process of the same user can trace it, read its memory
 * or copy its descriptors (the zygote it forks inherits that).
 */
// biome-ignore lint/complexity/noUselessStringRaw: keeps any backslash escape a later edit adds literal Python
export const workerCommonSource = String.raw`
# ast, socket, hashlib, shutil, traceback, fractions and decimal are imported where needed: a
# sandbox per candidate starts Python each time (hashlib alone, with OpenSSL, is a tenth of that
# start), and candidates never import what they do not use.
import base64, builtins, collections, ctypes, itertools, json, os, re, resource, select, signal, stat, struct, sys, time, types

ROOT = '/tmp'
MAX_VALUES_BYTES = 16 * 1024 * 1024
PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)

_null = os.open('/dev/null', os.O_RDWR)
os.dup2(_null, 0)
os.dup2(2, 1)

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
SYSCALLS = {'x86_64': (56, 126), 'aarch64': (220, 91)}.get(os.uname().machine)
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID = 0x00020000, 0x08000000, 0x10000000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND = 1, 2, 4, 8, 32, 4096
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 24, 38, 47
HOST_UID, HOST_GID = os.getuid(), os.getgid()

def libc_check(result, what):
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, what + ': ' + os.strerror(number))
    return result

# Neither this worker nor the zygote may be traced, read through /proc/<pid>/mem or have its
# descriptors copied, even by a process of the same user; candidates run in namespaces where
# neither is visible at all (see candidate_setup).
libc_check(LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), 'prctl(PR_SET_DUMPABLE)')

def read_exact(fd, count):
    chunks = []
    while count > 0:
        chunk = os.read(fd, count)
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b''.join(chunks)

def read_frame_bytes(fd):
    head = read_exact(fd, 4)
    return None if head is None else read_exact(fd, struct.unpack('>I', head)[0])

def read_frame():
    body = read_frame_bytes(PROTO_IN)
    return None if body is None else json.loads(body.decode('utf-8'))

def frame_bytes(value):
    body = json.dumps(value).encode('utf-8')
    return struct.pack('>I', len(body)) + body

def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]

def write_frame(value):
    write_all(PROTO_OUT, frame_bytes(value))

def write_file(path, data):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)

def clip(text, limit):
    return text if len(text) <= limit else text[:limit]
`;

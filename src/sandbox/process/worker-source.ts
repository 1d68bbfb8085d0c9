import { workerCandidateSource } from './worker-candidate.js';
import { workerCommonSource } from './worker-common.js';
import { workerJudgeSource } from './worker-judge.js';
import { workerMainSource } from './worker-main.js';

/**
 * The Python program that runs inside the bubblewrap sandbox (embedded as strings so that it is
 * found the same way from `src/` and `dist/`). `python3 -I -c` gets only `workerBootstrap`, which
 * reads the program on fd 0 (see there) before the protocol starts.
 *
 * Protocol: frames of a 4-byte big-endian length and UTF-8 JSON, requests on fd 0, replies on
 * fd 1. The first reply is `{"ready": true}` (or `{"ready": false, "error"}` when candidates cannot
 * be isolated here). Three kinds of process (docs/architecture.md has the threat model):
 * - the worker: talks to symgen, plans each request's checks, decides every verdict;
 * - the zygote: forked before any request is read, clones one process per candidate;
 * - the candidate: pid 1 of its own user, pid, mount and IPC namespaces, rlimited, fds 0-2 on
 *   files, fd 3 the values pipe (Python), cwd an empty directory in the private /tmp with the
 *   request's fixture files in it. It reports values, never verdicts.
 * With `--once`, the worker answers one request and exits.
 */
export const workerSource = [
  workerCommonSource,
  workerCandidateSource,
  workerJudgeSource,
  workerMainSource,
].join('\n');

/**
 * What `python3 -I -c` runs: it reads two raw frames (4-byte big-endian length, bytes) on fd 0,
 * `sys.version` + a NUL byte + `marshal` of the compiled worker (empty when symgen has none yet), then
 * the worker's source, and runs the compiled code when it was made by this very Python, else
 * compiles the source. Compiling the 1000-line worker costs a sandbox per candidate about a fifth
 * of its start (CPU and page faults, bench/RESULTS.md); a worker that compiled it sends the
 * compiled form back in its ready frame (`compiled`), before any candidate has run, for the next
 * workers of the same Python.
 */
export const workerBootstrap = [
  'import marshal, os, struct, sys',
  'def _symgen_read(count):',
  '    data = b""',
  '    while len(data) < count:',
  '        chunk = os.read(0, count - len(data))',
  '        if not chunk:',
  '            os._exit(3)',
  '        data += chunk',
  '    return data',
  'def _symgen_frame():',
  '    return _symgen_read(struct.unpack(">I", _symgen_read(4))[0])',
  '_symgen_version, _, _symgen_code = _symgen_frame().partition(b"\\0")',
  '_symgen_source = _symgen_frame()',
  'WORKER_COMPILED = None',
  'if _symgen_code and _symgen_version == sys.version.encode():',
  '    _symgen_code = marshal.loads(_symgen_code)',
  'else:',
  '    _symgen_code = compile(_symgen_source.decode(), "<symgen-worker>", "exec")',
  '    WORKER_COMPILED = sys.version.encode() + b"\\0" + marshal.dumps(_symgen_code)',
  'del _symgen_source, _symgen_version',
  'exec(_symgen_code)',
].join('\n');

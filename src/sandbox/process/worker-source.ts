import { workerCandidateSource } from './worker-candidate.js';
import { workerCommonSource } from './worker-common.js';
import { workerJudgeSource } from './worker-judge.js';
import { workerMainSource } from './worker-main.js';

/**
 * The Python program that runs inside the bubblewrap sandbox (embedded as strings so that it is
 * found the same way from `src/` and `dist/`; it is passed to `python3 -I -c`).
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

import { z } from 'zod';
import type { SandboxLimits } from './limits.js';

/** How one candidate's run ended. Results are data: a hostile candidate is a result, not a throw. */
export type SandboxStatus = 'ok' | 'error' | 'timeout' | 'crash' | 'refused';

/** One entry of the working directory after a run, listed by the worker, not by the candidate. */
export interface FileEntry {
  /** Path relative to the working directory, `/`-separated. */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink';
  /** Bytes, 0 for directories and symlinks. */
  readonly size: number;
  /** Permission bits, e.g. 0o644. */
  readonly mode: number;
  /** Hex SHA-256 of a regular file's content. */
  readonly sha256?: string;
  /** A symlink's target, as written (never followed). */
  readonly target?: string;
}

/** The outcome of running one candidate in the sandbox. */
export interface SandboxResult {
  readonly status: SandboxStatus;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated?: boolean;
  readonly stderrTruncated?: boolean;
  /**
   * Python: the JSON value of the request's `expression` (builtin types only, decoded by the
   * worker, never the candidate's own serialisation); Bash: the exit code.
   */
  readonly result?: unknown;
  /**
   * Python: `repr()` of the expression's value, computed by the worker on the decoded builtin
   * value (`<unsupported value: T>` for any other type), present even when it is not JSON.
   */
  readonly resultRepr?: string;
  /** Python with `tests`: each test's outcome as the worker judged it, in order. */
  readonly tests?: readonly TestOutcome[];
  /**
   * Python with `calls`: per input, `[hash, canonical text]` of the returned value, canonicalised
   * by the worker (`!error` when the call raised or returned a non-builtin value).
   */
  readonly outputs?: readonly (readonly [string, string])[];
  /** Why it did not succeed, one line. */
  readonly error?: string;
  /** Python: the candidate's traceback, when it raised. */
  readonly traceback?: string;
  readonly exitCode?: number;
  /** Name of the signal that ended the candidate (SIGKILL, SIGXCPU, ...). */
  readonly signal?: string;
  /** Bash: the working directory after the run, sorted by path. */
  readonly files?: readonly FileEntry[];
  readonly durationMs: number;
}

/** How one test ended, judged by the worker: `fail` is a false assert, `error` anything raised. */
export type TestOutcome = 'pass' | 'fail' | 'error';

/** A file to place in the candidate's working directory before it runs. */
export interface FixtureFile {
  readonly path: string;
  readonly type?: 'file' | 'dir';
  readonly contentBase64?: string;
  readonly mode?: number;
}

/** What the Node side sends to the worker for one candidate. */
export interface WorkerRequest {
  readonly id: number;
  readonly kind: 'python' | 'bash';
  readonly code: string;
  /** Python: an expression evaluated after the code (and tests); its value comes back as `result`. */
  readonly expression?: string;
  /**
   * Python: test statements (e.g. MBPP's asserts), run after the code in its namespace. The status
   * is `ok` only when the worker saw every test hold; see `SandboxResult.tests`.
   */
  readonly tests?: readonly string[];
  /**
   * Python: call a function on shared inputs, each an argument list source (`"[1, 2], 3"`);
   * `entry` names it, default the last function the code defines. See `SandboxResult.outputs`.
   */
  readonly calls?: { readonly entry?: string; readonly inputs: readonly string[] };
  readonly stdin?: string;
  readonly files?: readonly FixtureFile[];
  readonly limits: SandboxLimits;
}

const fileEntrySchema = z.object({
  path: z.string(),
  type: z.enum(['file', 'dir', 'symlink']),
  size: z.number(),
  mode: z.number(),
  sha256: z.string().optional(),
  target: z.string().optional(),
});

/**
 * A worker's reply. Lenient on extras, strict on what is used. Only the worker writes on this
 * channel: no candidate holds it or can reach the worker (docs/architecture.md, threat model).
 */
export const workerReplySchema = z.object({
  id: z.number(),
  status: z.enum(['ok', 'error', 'timeout', 'crash', 'refused']),
  stdout: z.string().default(''),
  stderr: z.string().default(''),
  stdoutTruncated: z.boolean().optional(),
  stderrTruncated: z.boolean().optional(),
  result: z.unknown().optional(),
  resultRepr: z.string().optional(),
  error: z.string().optional(),
  traceback: z.string().optional(),
  exitCode: z.number().optional(),
  signal: z.string().optional(),
  files: z.array(fileEntrySchema).optional(),
  tests: z.array(z.enum(['pass', 'fail', 'error'])).optional(),
  outputs: z.array(z.tuple([z.string(), z.string()])).optional(),
  durationMs: z.number(),
});

/** The first frame a worker writes: ready for requests, or why candidates cannot be isolated here. */
export const workerReadySchema = z.union([
  // compiled: base64 of the worker as `workerBootstrap` takes it, when this worker compiled it.
  z.object({ ready: z.literal(true), python: z.string(), compiled: z.string().optional() }),
  z.object({ ready: z.literal(false), error: z.string() }),
]);

/** A result for a candidate that never ran or whose worker failed, with no output. */
export function emptyResult(status: SandboxStatus, error: string, durationMs = 0): SandboxResult {
  return { status, stdout: '', stderr: '', error, durationMs };
}

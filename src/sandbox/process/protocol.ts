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
  /** Python: the JSON value of the request's `expression`; Bash: the exit code. */
  readonly result?: unknown;
  /** Python: `repr()` of the expression's value, present even when it is not JSON. */
  readonly resultRepr?: string;
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
  readonly expression?: string;
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

/** A worker's reply. Lenient on extras, strict on what is used: the candidate shares the worker's box. */
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
  durationMs: z.number(),
});

/** The first frame a worker writes once it is ready for requests. */
export const workerReadySchema = z.object({ ready: z.literal(true), python: z.string() });

/** A result for a candidate that never ran or whose worker failed, with no output. */
export function emptyResult(status: SandboxStatus, error: string, durationMs = 0): SandboxResult {
  return { status, stdout: '', stderr: '', error, durationMs };
}

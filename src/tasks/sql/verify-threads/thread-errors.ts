import { DatabaseError, SandboxError, SymgenError } from '../../../errors/index.js';

/** A whole-run failure as it crosses threads (errors do not keep their class on the way). */
export interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly path?: string;
}

/** A whole-run failure (a missing database) as a message. */
export function threadError(error: unknown): ThreadError {
  const { name, message, path } = error as { name?: string; message?: string; path?: string };
  return { name: name ?? 'Error', message: message ?? String(error), ...(path ? { path } : {}) };
}

/** Rebuild a thread's whole-run failure as the error class the CLI maps to its exit code. */
export function reviveError(error: ThreadError): Error {
  if (error.name === 'DatabaseError') return new DatabaseError(error.message, error.path ?? '');
  if (error.name === 'SandboxError') return new SandboxError(error.message);
  return new SymgenError(error.message);
}

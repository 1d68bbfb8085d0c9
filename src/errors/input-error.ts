import { SymgenError } from './symgen-error.js';

/**
 * Bad input from the user: a missing or unreadable file, a malformed line, a bad flag value.
 * The message says what, where and how to fix it.
 */
export class InputError extends SymgenError {
  override readonly name = 'InputError';
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  /** The 1-based line number, when the problem is on one line. */
  readonly line: number | undefined;

  constructor(message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
  }
}

/**
 * Root of every error symgen throws on purpose. Subclasses add the fields a caller needs to act on
 * the failure; `message` is always one line a person can act on.
 */
export class SymgenError extends Error {
  override readonly name: string = 'SymgenError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

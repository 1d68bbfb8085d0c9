import { SymgenError } from './symgen-error.js';

/** A database cannot be found or opened: the whole run is affected, so this is thrown, not recorded. */
export class DatabaseError extends SymgenError {
  override readonly name = 'DatabaseError';
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

import { SymgenError } from './symgen-error.js';

/**
 * A local model cannot be loaded: the optional runtime is not installed, the file is missing or
 * unreadable, or a download was needed without a network. The message says how to fix it.
 */
export class ModelLoadError extends SymgenError {
  override readonly name = 'ModelLoadError';
  readonly isRetryable = false;
}

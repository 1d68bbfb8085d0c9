import { SymgenError } from './symgen-error.js';

/** The execution sandbox cannot run at all (not one candidate failing: that is a result). */
export class SandboxError extends SymgenError {
  override readonly name = 'SandboxError';
}

import type { VerifyOptions } from '../../verify/options.js';
import { verifierProvenance } from '../../verify/verify-file.js';

/** The `verification` settings of SQL lines: the shared ones, with the comparison and the normal form. */
export function sqlVerifierProvenance(options: VerifyOptions): Record<string, unknown> {
  return verifierProvenance('sql', options, { compare: options.compare, normalise: options.normalise });
}

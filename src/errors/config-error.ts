import { SymgenError } from './symgen-error.js';

/** One problem found in a configuration: where (a dotted path) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A configuration (file, flags or options object) failed validation. Carries every issue found,
 * not only the first.
 */
export class ConfigError extends SymgenError {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      `${source}: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid'}${more}`,
    );
    this.issues = issues;
  }
}

import { SymgenError } from './symgen-error.js';

/** One problem found in a configuration: where (a dotted path) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A configuration (file, flags or options object) failed validation. Carries every issue found,
 * not only the first; the message names the first (the CLI prints every one, `describeIssues`).
 */
export class ConfigError extends SymgenError {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  /** What was validated: a file, a flag, `verify options`. */
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      `${source}: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid'}${more}`,
    );
    this.issues = issues;
    this.source = source;
  }

  /** One line per issue, each naming the source: `source: path: message`. */
  describeIssues(): string[] {
    if (this.issues.length === 0) return [this.message];
    return this.issues.map(
      (issue) => `${this.source}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
    );
  }
}

/** The shape of a failed zod parse's error, without importing zod here. */
export interface ZodLikeError {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/**
 * A failed zod parse's issues as `ConfigIssue`s, dotted paths: the one conversion every zod-checked
 * input uses. `prefix` goes before each path (`--` for flags); `root` names an empty path.
 */
export function zodIssues(
  error: ZodLikeError,
  { prefix = '', root = '' }: { readonly prefix?: string; readonly root?: string } = {},
): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { path: path ? `${prefix}${path}` : root, message: issue.message };
  });
}

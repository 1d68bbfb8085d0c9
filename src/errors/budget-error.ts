import { SymgenError } from './symgen-error.js';

/**
 * A run reached its budget (`--max-cost`, `--max-tokens`): the next request could have gone past it,
 * so it was not sent. What was done is kept; a resume with a larger budget continues.
 */
export class BudgetError extends SymgenError {
  override readonly name = 'BudgetError';
  readonly isRetryable = false;
  readonly spentUsd: number;
  readonly spentTokens: number;

  constructor(message: string, options: { spentUsd: number; spentTokens: number }) {
    super(message);
    this.spentUsd = options.spentUsd;
    this.spentTokens = options.spentTokens;
  }
}

import { normaliseSql } from './normalise.js';
import { tokenizeSql } from './tokenize.js';

/**
 * The template of a SQL program: its normal form with every literal (string, number, double-quoted
 * value) replaced by `?`. Programs that differ only in the values they compare share a template,
 * e.g. `SELECT capital FROM state WHERE state_name = 'texas'` and `... = 'ohio'`.
 */
export function sqlTemplate(program: string): string {
  const tokens = tokenizeSql(normaliseSql(program));
  return tokens
    .map((token) =>
      token.kind === 'string' || token.kind === 'number' || token.kind === 'quoted-identifier'
        ? '?'
        : token.text,
    )
    .join(' ');
}

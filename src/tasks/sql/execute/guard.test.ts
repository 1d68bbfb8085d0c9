import { describe, expect, it } from 'vitest';
import { normaliseSql } from '../normalise.js';
import { refusalReason, refusalReasonNormalised } from './guard.js';

const STATEMENTS = [
  'SELECT 1',
  '  (SELECT a FROM t) UNION SELECT b FROM u',
  'with x as (select 1) select * from x',
  'VALUES (1), (2)',
  '-- a comment\nSELECT 1',
  '/* c */ select 1',
  'DROP TABLE state',
  'delete from state',
  "ATTACH DATABASE '/tmp/x.sqlite' AS x",
  'PRAGMA writable_schema = 1',
  "SELECT load_extension('x')",
  'selectx 1',
  '',
  '   ',
  ';',
];

describe('statement guard', () => {
  it('reads the normal form as it reads the source', () => {
    for (const statement of STATEMENTS) {
      const source = refusalReason(statement);
      const normalised = refusalReasonNormalised(normaliseSql(statement));
      expect(normalised === null, statement).toBe(source === null);
    }
    expect(refusalReasonNormalised(normaliseSql('DROP TABLE state'))).toMatch(/got drop/);
  });
});

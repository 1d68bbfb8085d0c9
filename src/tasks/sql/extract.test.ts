import { describe, expect, it } from 'vitest';
import { extractSql } from './extract.js';
import { normaliseSql } from './normalise.js';

describe('extractSql', () => {
  it('takes a plain query and drops the trailing semicolon', () => {
    expect(extractSql('SELECT name FROM state;')).toBe('SELECT name FROM state');
  });
  it('prefers a sql code fence and ignores prose around it', () => {
    const text = 'Sure! Here it is:\n```sql\nSELECT count(*)\nFROM city\n```\nThis counts the cities.';
    expect(extractSql(text)).toBe('SELECT count(*)\nFROM city');
  });
  it('cuts prose after a blank line but keeps clauses split by one', () => {
    expect(extractSql('SELECT a FROM t\n\nThis returns a.')).toBe('SELECT a FROM t');
    expect(extractSql('SELECT a FROM t\n\nWHERE b = 1')).toBe('SELECT a FROM t\n\nWHERE b = 1');
  });
  it('completes a continuation after a prompt that ended in SELECT', () => {
    expect(extractSql(' count(state_name) FROM state WHERE area > 5')).toBe(
      'SELECT count(state_name) FROM state WHERE area > 5',
    );
    expect(extractSql('DISTINCT name FROM river')).toBe('SELECT DISTINCT name FROM river');
  });
  it('takes the first query of several statements and never a later one', () => {
    expect(extractSql('SELECT 1; DROP TABLE state; SELECT 2')).toBe('SELECT 1');
    expect(extractSql("SELECT ';' FROM t; DELETE FROM t")).toBe("SELECT ';' FROM t");
  });
  it('returns null when there is no statement', () => {
    expect(extractSql('I cannot answer that question.')).toBeNull();
    expect(extractSql('We could drop the table state, but we will not.')).toBeNull();
    expect(extractSql('')).toBeNull();
  });

  it('extracts a write with no query, so the executor refuses it as a write (not "no program")', () => {
    expect(extractSql('DROP TABLE state')).toBe('DROP TABLE state');
    expect(extractSql('DELETE FROM state')).toBe('DELETE FROM state');
    expect(extractSql("ATTACH DATABASE '/tmp/x.db' AS x;")).toBe("ATTACH DATABASE '/tmp/x.db' AS x");
    expect(extractSql('Here it is:\n```sql\nDELETE FROM state\n```')).toBe('DELETE FROM state');
    // a query still wins over a write beside it
    expect(extractSql('DROP TABLE city;\nSELECT name FROM state')).toBe('SELECT name FROM state');
  });
});

describe('normaliseSql', () => {
  it('folds case, space, comments, AS and operator spellings but keeps literals', () => {
    const a = normaliseSql("select S.name as n from state AS s where s.x <> 'Texas' -- note\n;");
    const b = normaliseSql("SELECT s.NAME n FROM STATE s WHERE s.x != 'Texas'");
    expect(a).toBe(b);
    expect(normaliseSql("SELECT * FROM t WHERE a = 'texas'")).not.toBe(
      normaliseSql("SELECT * FROM t WHERE a = 'Texas'"),
    );
  });
});

describe('sqlTask.prepare', () => {
  it('equals normalise(extract(text)) on the shipped GeoQuery candidates', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { sqlTask } = await import('./index.js');
    const file = join(import.meta.dirname, '..', '..', '..', 'examples', 'geoquery', 'candidates.jsonl');
    const texts = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .flatMap((line) => (JSON.parse(line) as { candidates: { program: string }[] }).candidates)
      .map((candidate) => candidate.program);
    texts.push('no query here', 'state_name FROM state;', '```sql\nSELECT 1;\n```\nthen SELECT 2');
    expect(texts.length).toBeGreaterThan(500);
    for (const text of texts) {
      const program = sqlTask.extract(text);
      const expected = program === null ? null : { program, normalised: sqlTask.normalise(program) };
      expect(sqlTask.prepare?.(text), text).toEqual(expected);
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { sqlFeatures } from './features.js';
import { loadSqlParser } from './parse.js';

beforeAll(() => loadSqlParser());

describe("Spider's hardness", () => {
  it.each([
    ['SELECT count(*) FROM singer', 'easy'],
    ['SELECT name FROM singer WHERE age > 20', 'easy'],
    ['SELECT name, country, age FROM singer ORDER BY age DESC', 'medium'],
    [
      'SELECT T2.name, count(*) FROM concert AS T1 JOIN stadium AS T2 ON T1.stadium_id = T2.stadium_id GROUP BY T1.stadium_id',
      'medium',
    ],
    ['SELECT name FROM stadium WHERE stadium_id NOT IN (SELECT stadium_id FROM concert)', 'hard'],
    ['SELECT country FROM singer WHERE age > 40 INTERSECT SELECT country FROM singer WHERE age < 30', 'hard'],
    [
      'SELECT T2.name FROM concert AS T1 JOIN stadium AS T2 ON T1.stadium_id = T2.stadium_id WHERE T1.year = 2014 INTERSECT SELECT T2.name FROM concert AS T1 JOIN stadium AS T2 ON T1.stadium_id = T2.stadium_id WHERE T1.year = 2015',
      'extra',
    ],
  ])('%s is %s', (sql, level) => {
    expect(sqlFeatures(sql).hardness).toBe(level);
  });
  it('reports tables and clauses', () => {
    const features = sqlFeatures(
      'SELECT a.x FROM t1 a JOIN t2 ON a.id = t2.id WHERE a.y IN (SELECT y FROM t3) ORDER BY 1 LIMIT 2',
    );
    expect(features.tables).toEqual(['t1', 't2', 't3']);
    expect(features.clauses).toEqual(
      expect.arrayContaining(['join', 'where', 'subquery', 'order-by', 'limit']),
    );
  });
  it('says unknown when the query does not parse', () => {
    expect(sqlFeatures('SELEC oops').hardness).toBe('unknown');
  });
});

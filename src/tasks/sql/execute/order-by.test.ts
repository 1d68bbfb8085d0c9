import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GEOQUERY_DEV, GEOQUERY_TRAIN } from '../../../../test/shared-data.js';
import { normaliseSql } from '../normalise.js';
import { ordersNormalisedOutput, ordersOutput } from './order-by.js';

describe('ordersOutput', () => {
  it('sees only a top-level ORDER BY', () => {
    expect(ordersOutput('SELECT a FROM t ORDER BY a')).toBe(true);
    expect(ordersOutput('SELECT a FROM (SELECT a FROM t ORDER BY a LIMIT 3)')).toBe(false);
    expect(ordersOutput("SELECT 'order by' FROM t")).toBe(false);
    expect(ordersOutput('SELECT a FROM t -- ORDER BY a')).toBe(false);
  });

  it('reads the normal form the same way as the source, on every GeoQuery and Spider gold query', () => {
    const queries = [GEOQUERY_TRAIN, GEOQUERY_DEV]
      .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n'))
      .map((line) => (JSON.parse(line) as { query: string }).query);
    queries.push(
      "SELECT a FROM t WHERE b = 'it''s (an order by'",
      'SELECT "order by" FROM t',
      'SELECT [order by] FROM t ORDER BY 1',
      'SELECT a FROM t ORDER  BY a',
    );
    let ordered = 0;
    for (const query of queries) {
      const expected = ordersOutput(query);
      if (expected) ordered++;
      expect(ordersNormalisedOutput(normaliseSql(query)), query).toBe(expected);
    }
    expect(ordered).toBeGreaterThan(10);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { GEOGRAPHY_DB, SHARED_DATA, SPIDER_DATABASES } from './shared-data.js';

/*
 * `symgen evaluate --task sql --gold --pred` must keep the figures of the implementation before SQL's
 * ordering rule moved into the task contract (`matches`, tasks/sql/matches.ts). The expected objects
 * are the JSON the previous implementation printed (commit b242b0c), with:
 *
 *   node bin/symgen.js evaluate --task sql --db examples/geoquery/geography.sqlite \
 *     --gold test/data/evaluate-sql/geoquery-gold.jsonl --pred test/data/evaluate-sql/geoquery-pred.jsonl --format json
 *   node bin/symgen.js evaluate --task sql --db examples/spider/database \
 *     --gold test/data/evaluate-sql/spider-gold.jsonl --pred test/data/evaluate-sql/spider-pred.jsonl --format json
 *
 * The predictions are the gold with faults made on purpose (see test/data/README.md): ORDER BY dropped
 * where the gold orders rows (equal as multisets, wrong in order), another question's query, a query
 * that does not run, prose with no program, and missing lines.
 */
const GEOQUERY_BEFORE = {
  overall: {
    count: 280,
    execution: 0.6857142857142857,
    exactMatch: 0.6821428571428572,
    valid: 0.8178571428571428,
  },
  byHardness: {
    easy: {
      count: 133,
      execution: 0.6992481203007519,
      exactMatch: 0.6992481203007519,
      valid: 0.8571428571428571,
    },
    medium: {
      count: 15,
      execution: 0.5333333333333333,
      exactMatch: 0.5333333333333333,
      valid: 0.6666666666666666,
    },
    hard: {
      count: 95,
      execution: 0.7368421052631579,
      exactMatch: 0.7368421052631579,
      valid: 0.8105263157894737,
    },
    extra: {
      count: 37,
      execution: 0.5675675675675675,
      exactMatch: 0.5405405405405406,
      valid: 0.7567567567567568,
    },
  },
  byDatabase: {
    geography_db: {
      count: 280,
      execution: 0.6857142857142857,
      exactMatch: 0.6821428571428572,
      valid: 0.8178571428571428,
    },
  },
  goldErrors: 0,
  missingPredictions: 16,
};

const SPIDER_BEFORE = {
  overall: {
    count: 299,
    execution: 0.7090301003344481,
    exactMatch: 0.68561872909699,
    valid: 0.8193979933110368,
  },
  byHardness: {
    easy: {
      count: 56,
      execution: 0.6607142857142857,
      exactMatch: 0.625,
      valid: 0.8035714285714286,
    },
    medium: {
      count: 108,
      execution: 0.7222222222222222,
      exactMatch: 0.7129629629629629,
      valid: 0.8611111111111112,
    },
    hard: {
      count: 72,
      execution: 0.7083333333333334,
      exactMatch: 0.7083333333333334,
      valid: 0.7777777777777778,
    },
    extra: {
      count: 63,
      execution: 0.7301587301587301,
      exactMatch: 0.6666666666666666,
      valid: 0.8095238095238095,
    },
  },
  byDatabase: {
    address_1: {
      count: 80,
      execution: 0.75,
      exactMatch: 0.75,
      valid: 0.825,
    },
    bakery_1: {
      count: 104,
      execution: 0.7115384615384616,
      exactMatch: 0.6538461538461539,
      valid: 0.8173076923076923,
    },
    bbc_channels: {
      count: 16,
      execution: 0.625,
      exactMatch: 0.625,
      valid: 0.8125,
    },
    boat_1: {
      count: 78,
      execution: 0.7051282051282052,
      exactMatch: 0.7051282051282052,
      valid: 0.8205128205128205,
    },
    book_review: {
      count: 21,
      execution: 0.6190476190476191,
      exactMatch: 0.5714285714285714,
      valid: 0.8095238095238095,
    },
  },
  goldErrors: 0,
  missingPredictions: 18,
};

const DATA = join(SHARED_DATA, 'evaluate-sql');
const folder = mkdtempSync(join(tmpdir(), 'symgen-evaluate-sql-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function evaluate(db: string, name: string): Promise<Record<string, unknown>> {
  const json = join(folder, `${name}.json`);
  expect(
    await main([
      'evaluate',
      '--task',
      'sql',
      '--db',
      db,
      '--gold',
      join(DATA, `${name}-gold.jsonl`),
      '--pred',
      join(DATA, `${name}-pred.jsonl`),
      '--json',
      json,
    ]),
  ).toBe(0);
  const { examples, ...metrics } = JSON.parse(readFileSync(json, 'utf8')) as { examples: unknown[] };
  expect(examples.length).toBeGreaterThan(0);
  return metrics;
}

describe('symgen evaluate --task sql keeps the previous figures', () => {
  it('GeoQuery dev (280 questions, geography.sqlite)', { timeout: 120_000 }, async () => {
    expect(await evaluate(GEOGRAPHY_DB, 'geoquery')).toEqual(GEOQUERY_BEFORE);
  });
  it('a Spider test slice (299 questions over 5 databases)', { timeout: 120_000 }, async () => {
    expect(await evaluate(SPIDER_DATABASES, 'spider')).toEqual(SPIDER_BEFORE);
  });
});

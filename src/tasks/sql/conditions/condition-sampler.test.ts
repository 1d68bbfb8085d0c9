import { describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import type { SqlFeatures } from '../features.js';
import { HARDNESS_LEVELS, type Hardness } from '../hardness.js';
import { openReadOnly, readSqliteSchema } from '../schema.js';
import { createRandom, createSqlConditionSampler, describeCondition, parseHardnessMix } from './index.js';

const db = openReadOnly(GEOGRAPHY_DB);
const schema = readSqliteSchema(db);
db.close();

describe('createRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(first);
    for (const value of first) expect(value).toBeGreaterThanOrEqual(0);
    for (const value of first) expect(value).toBeLessThan(1);
  });

  it('draws in proportion to weights', () => {
    const random = createRandom(1);
    const counts = [0, 0, 0];
    for (let index = 0; index < 6000; index++) counts[random.weighted([1, 2, 0])]!++;
    expect(counts[2]).toBe(0);
    expect(counts[1]! / counts[0]!).toBeGreaterThan(1.7);
    expect(counts[1]! / counts[0]!).toBeLessThan(2.3);
  });
});

describe('createSqlConditionSampler', () => {
  it('is reproducible by seed', () => {
    const draw = (seed: number) => {
      const sampler = createSqlConditionSampler(schema, { seed });
      return Array.from({ length: 30 }, () => sampler.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('asks for what is missing: a generator that always answers easy is asked for the other levels', () => {
    const sampler = createSqlConditionSampler(schema, { seed: 3, hardnessMix: { easy: 0.5, hard: 0.5 } });
    const asked: Hardness[] = [];
    for (let index = 0; index < 40; index++) {
      asked.push(sampler.next().hardness);
      sampler.observe({ hardness: 'easy', tables: ['city'], clauses: [] });
    }
    // Every observation is easy, so after the first few draws the sampler keeps asking for hard.
    expect(asked.slice(10).filter((level) => level === 'hard').length).toBeGreaterThan(25);
    expect(asked).not.toContain('medium');
    expect(sampler.coverage().hardness.easy).toBe(1);
    expect(sampler.coverage().tables.city).toBe(1);
    expect(sampler.coverage().tables.state).toBe(0);
  });

  it('reaches the target mix when the generator does as asked, and covers every table', () => {
    const mix = { easy: 0.1, medium: 0.2, hard: 0.3, extra: 0.4 };
    const sampler = createSqlConditionSampler(schema, { seed: 11, hardnessMix: mix });
    for (let index = 0; index < 400; index++) {
      const condition = sampler.next();
      const features: SqlFeatures = {
        hardness: condition.hardness,
        tables: condition.tables,
        clauses: condition.clauses,
      };
      sampler.observe(features);
    }
    const coverage = sampler.coverage();
    for (const level of HARDNESS_LEVELS)
      expect(Math.abs(coverage.hardness[level]! - mix[level])).toBeLessThan(0.02);
    for (const table of schema.tables) expect(coverage.tables[table.name]).toBeGreaterThan(0.08);
    expect(coverage.clauses.where).toBeGreaterThan(0.3);
  });

  it('only pairs tables it can join, and describes a condition in words', () => {
    const sampler = createSqlConditionSampler(schema, { seed: 5, joins: [{ from: 'city', to: 'state' }] });
    for (let index = 0; index < 200; index++) {
      const condition = sampler.next();
      if (condition.tables.length === 2) expect([...condition.tables].sort()).toEqual(['city', 'state']);
      if (condition.hardness === 'easy') expect(condition.clauses.length).toBeLessThanOrEqual(1);
    }
    expect(describeCondition({ hardness: 'hard', tables: ['city', 'state'], clauses: ['group-by'] })).toBe(
      'a hard question about city and state that uses GROUP BY',
    );
    expect(
      describeCondition({ hardness: 'extra', tables: ['city'], clauses: ['join', 'where', 'union'] }),
    ).toBe('an extra hard question about city that uses a JOIN, a WHERE filter and UNION');
  });

  it('reads --mix and names what is wrong with a bad one', () => {
    expect(parseHardnessMix('easy=1,hard=3')).toEqual({ easy: 0.25, medium: 0, hard: 0.75, extra: 0 });
    expect(() => parseHardnessMix('easy=0.5,harder=0.5')).toThrowErrorMatchingInlineSnapshot(
      `[InputError: --mix: cannot read "harder=0.5"; write level=share pairs such as easy=0.25,medium=0.4,hard=0.2,extra=0.15]`,
    );
    expect(() => parseHardnessMix('easy=0')).toThrow(/at least one level/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { SqliteExecutor } from '../execute/index.js';
import { sqlFeatures } from '../features.js';
import { generateProgramsFirst, type ProgramsFirstExample } from './index.js';

const executor = new SqliteExecutor({ workers: 1 });
afterAll(() => executor.close());

async function collect(
  options: Parameters<typeof generateProgramsFirst>[0],
): Promise<ProgramsFirstExample[]> {
  const examples: ProgramsFirstExample[] = [];
  for await (const example of generateProgramsFirst(options)) examples.push(example);
  return examples;
}

describe('generateProgramsFirst on GeoQuery', () => {
  it('yields distinct programs that execute in the sandbox to the non-empty result it recorded', async () => {
    const progress: number[] = [];
    const examples = await collect({
      dbPath: GEOGRAPHY_DB,
      dbId: 'geography',
      count: 60,
      seed: 1,
      onProgress: (done) => progress.push(done),
    });
    expect(examples).toHaveLength(60);
    expect(progress.at(-1)).toBe(60);
    expect(new Set(examples.map((example) => example.program)).size).toBe(60);
    const results = await Promise.all(
      examples.map((example) => executor.execute(example.program, { id: 'geography', path: GEOGRAPHY_DB })),
    );
    results.forEach((result, index) => {
      expect(result.status, examples[index]!.program).toBe('ok');
      expect(result.size).toBe(examples[index]!.result.rows);
      expect(result.size).toBeGreaterThan(0);
    });
    for (const example of examples) {
      expect(example.features).toEqual(sqlFeatures(example.program));
      expect(example.question).toBe(example.canonicalQuestion);
      expect(example.question).toMatch(/^[A-Z].*[.?]$/);
      expect(example.provenance).toMatchObject({ method: 'programs-first', seed: 1 });
      expect(example.provenance.dbSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('is reproducible by seed and follows the asked hardness mix', async () => {
    const mix = { easy: 0.25, medium: 0.25, hard: 0.25, extra: 0.25 };
    const first = await collect({ dbPath: GEOGRAPHY_DB, dbId: 'geo', count: 80, seed: 9, hardnessMix: mix });
    const again = await collect({ dbPath: GEOGRAPHY_DB, dbId: 'geo', count: 80, seed: 9, hardnessMix: mix });
    const other = await collect({ dbPath: GEOGRAPHY_DB, dbId: 'geo', count: 80, seed: 10, hardnessMix: mix });
    expect(again.map((example) => example.program)).toEqual(first.map((example) => example.program));
    expect(other.map((example) => example.program)).not.toEqual(first.map((example) => example.program));
    const counts: Record<string, number> = {};
    for (const example of first)
      counts[example.features.hardness] = (counts[example.features.hardness] ?? 0) + 1;
    for (const level of ['easy', 'medium', 'hard', 'extra'])
      expect(Math.abs((counts[level] ?? 0) / 80 - 0.25)).toBeLessThan(0.05);
  });
});

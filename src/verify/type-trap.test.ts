import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../test/shared-data.js';
import { SqliteExecutor } from '../tasks/sql/execute/index.js';
import {
  findTypeTraps,
  openReadOnly,
  readSqliteSchema,
  sqlTask,
  textNumberColumns,
} from '../tasks/sql/index.js';
import { parseVerifyOptions } from './options.js';
import { type VerifyContext, verifyExample } from './verify-stream.js';

const TRAP = 'SELECT highlow.state_name FROM highlow WHERE highlow.highest_elevation > 1000';
const CAST = 'SELECT highlow.state_name FROM highlow WHERE CAST(highlow.highest_elevation AS REAL) > 1000';
const CAST_PLUS = 'SELECT state_name FROM highlow WHERE highest_elevation + 0 > 1000';

describe('type traps on the GeoQuery database', () => {
  const db = openReadOnly(GEOGRAPHY_DB);
  const columns = textNumberColumns(db, readSqliteSchema(db));
  const executor = new SqliteExecutor({ compare: 'multiset', timeoutMs: 5000, maxRows: 1000, workers: 1 });
  const context = (minVotes: number): VerifyContext => ({
    task: sqlTask as never,
    executor,
    environment: () => ({ id: 'geo', path: GEOGRAPHY_DB }),
    options: parseVerifyOptions({ minVotes }),
    provenance: {},
  });
  afterAll(async () => {
    db.close();
    await executor.close();
  });

  it('finds the columns declared TEXT that hold numbers', () => {
    expect(columns.map((column) => `${column.table}.${column.column}`)).toEqual([
      'highlow.highest_elevation',
      'highlow.lowest_elevation',
    ]);
    // the trap is real: compared as text, every state is above 1000
    const all = db.prepare(TRAP).all().length;
    const cast = db.prepare(CAST).all().length;
    expect(all).toBe(51);
    expect(cast).toBeLessThan(all);
  });

  it('flags comparisons, orderings and MAX/MIN without a cast, and nothing with one', () => {
    expect(findTypeTraps(TRAP, columns)).toMatchObject([
      { table: 'highlow', column: 'highest_elevation', kind: 'compare' },
    ]);
    expect(
      findTypeTraps('SELECT state_name FROM highlow AS T1 WHERE 500 < T1.lowest_elevation', columns),
    ).toMatchObject([{ column: 'lowest_elevation', kind: 'compare' }]);
    expect(
      findTypeTraps('SELECT state_name FROM highlow ORDER BY highest_elevation DESC LIMIT 1', columns),
    ).toMatchObject([{ column: 'highest_elevation', kind: 'order' }]);
    expect(findTypeTraps('SELECT MAX(highest_elevation) FROM highlow', columns)).toMatchObject([
      { kind: 'aggregate' },
    ]);
    expect(findTypeTraps(CAST, columns)).toEqual([]);
    expect(findTypeTraps(CAST_PLUS, columns)).toEqual([]);
    expect(
      findTypeTraps(
        'SELECT state_name FROM highlow ORDER BY CAST(highest_elevation AS INTEGER) DESC',
        columns,
      ),
    ).toEqual([]);
    // equality with a string is what the column's values are: no trap; a column of another table: none
    expect(findTypeTraps("SELECT state_name FROM highlow WHERE highest_elevation = '6194'", columns)).toEqual(
      [],
    );
    expect(findTypeTraps('SELECT city_name FROM city WHERE population > 1000', columns)).toEqual([]);
  });

  it('the candidates that cast win over a larger group that compares text with a number', async () => {
    const example = {
      id: 'q1',
      question: 'which states have a high point above 1000 meters',
      db_id: 'geo',
      candidates: [TRAP, TRAP, TRAP.toLowerCase(), CAST, CAST_PLUS].map((program) => ({ program })),
    };
    const record = await verifyExample(example, context(2));
    expect(record).toMatchObject({ status: 'accepted', votes: 2 });
    expect([CAST, CAST_PLUS]).toContain(record.program);
    expect(record.failures).toEqual({ 'type-trap': 3 });
  });

  it('rejects the example with reason type-trap when the trap would have won and the casts are too few', async () => {
    const example = {
      id: 'q2',
      question: 'which states have a high point above 1000 meters',
      db_id: 'geo',
      candidates: [TRAP, TRAP, TRAP, CAST].map((program) => ({ program })),
    };
    const record = await verifyExample(example, context(3));
    expect(record).toMatchObject({ status: 'rejected', reason: 'type-trap' });
    expect((record.errors as string[])[0]).toMatch(/highlow\.highest_elevation is text holding numbers/);
    // a program with no trap is untouched by the check
    const clean = await verifyExample(
      { ...example, id: 'q3', candidates: [CAST, CAST, CAST].map((program) => ({ program })) },
      context(3),
    );
    expect(clean).toMatchObject({ status: 'accepted', program: CAST, votes: 3 });
  });
});

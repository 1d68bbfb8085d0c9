import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { parseVerifyOptions } from '../../../verify/options.js';
import { verifyExample } from '../../../verify/verify-stream.js';
import { DatabaseSet } from '../databases.js';
import { sqlTask } from '../index.js';
import { sqlResultChecks } from './result-checks.js';

const executor = sqlTask.createExecutor({ workers: 1, timeoutMs: 2000 });
afterAll(() => executor.close());
const geography = DatabaseSet.open(GEOGRAPHY_DB).resolve(undefined);

/** The names of the checks a program fails on GeoQuery. */
async function flaws(program: string): Promise<string[]> {
  const result = await executor.execute(program, geography);
  expect(result.status).toBe('ok');
  const failed: string[] = [];
  for (const check of sqlResultChecks(program, geography)) {
    const probe = await executor.execute(check.probe, geography);
    if (check.flawed(probe, result)) failed.push(check.name);
  }
  return failed;
}

const MOST_BORDERS =
  'SELECT state_name FROM border_info GROUP BY state_name ORDER BY count(border) DESC LIMIT 1';
const MOST_BORDERS_ALL =
  'SELECT state_name FROM border_info GROUP BY state_name HAVING count(border) = (SELECT max(c) FROM (SELECT count(border) AS c FROM border_info GROUP BY state_name))';

describe('SQL result checks', () => {
  it('limit-tie: the cut falls between tennessee and missouri, 8 borders each', async () => {
    expect(await flaws(MOST_BORDERS)).toEqual(['limit-tie']);
    expect(await flaws(`${MOST_BORDERS.replace('LIMIT 1', 'LIMIT 2')};`)).toEqual([]);
    expect(await flaws(MOST_BORDERS_ALL)).toEqual([]);
    // ordinals and aliases in ORDER BY
    expect(
      await flaws(
        'SELECT state_name, count(border) AS c FROM border_info GROUP BY state_name ORDER BY c DESC LIMIT 1',
      ),
    ).toEqual(['limit-tie']);
    expect(
      await flaws('SELECT state_name, count(border) FROM border_info GROUP BY 1 ORDER BY 2 DESC LIMIT 1'),
    ).toEqual(['limit-tie']);
    // tied rows that are the same row: the pick does not matter
    expect(await flaws('SELECT river_name FROM river ORDER BY length DESC LIMIT 1')).toEqual([]);
  });

  it('duplicate-rows: the longest river, once per state it crosses', async () => {
    expect(
      await flaws('SELECT river_name FROM river WHERE length = (SELECT max(length) FROM river)'),
    ).toEqual(['duplicate-rows']);
    expect(
      await flaws('SELECT DISTINCT river_name FROM river WHERE length = (SELECT max(length) FROM river)'),
    ).toEqual([]);
    // numbers may repeat in a list: not a list of entities
    expect(await flaws("SELECT length FROM river WHERE traverse = 'colorado'")).toEqual([]);
  });

  it('repeated names of distinct entities are no flaw: two springfields are two cities', async () => {
    // city names repeat across states; each city row has its own population
    expect(await flaws('SELECT city_name FROM city WHERE population > 150000')).toEqual([]);
    expect(await flaws('SELECT count(city_name) FROM city')).toEqual([]);
    // a river repeated: one length in every row of it
    expect(await flaws("SELECT river_name FROM river WHERE traverse IN ('colorado', 'utah')")).toEqual([
      'duplicate-rows',
    ]);
    // a state reached through several rivers: a column that is no name of its table
    expect(await flaws('SELECT traverse FROM river WHERE length > 750')).toEqual(['duplicate-rows']);
    // ordered by what it does not show: a list of rows, where a name may come back
    expect(
      await flaws("SELECT river_name FROM river WHERE traverse IN ('colorado', 'utah') ORDER BY length"),
    ).toEqual([]);
    // without the database's schema, the plain check
    const program = 'SELECT city_name FROM city WHERE population > 150000';
    const result = await executor.execute(program, geography);
    const names: string[] = [];
    for (const check of sqlResultChecks(program)) {
      if (check.flawed(await executor.execute(check.probe, geography), result)) names.push(check.name);
    }
    expect(names).toEqual(['duplicate-rows']);
  });

  it('count-not-distinct: 149 river rows, 46 rivers', async () => {
    expect(await flaws('SELECT count(river_name) FROM river')).toEqual(['count-not-distinct']);
    expect(await flaws('SELECT count(DISTINCT river_name) FROM river')).toEqual([]);
    expect(await flaws('SELECT count(*) FROM state')).toEqual([]);
    expect(await flaws('SELECT count(state_name) AS n FROM state')).toEqual([]);
  });

  it('builds no check it cannot read: compound selects, LIMIT with a comma', () => {
    expect(sqlResultChecks('SELECT a FROM t UNION SELECT b FROM u')).toEqual([]);
    expect(sqlResultChecks('SELECT a FROM t ORDER BY a LIMIT 1, 2').map((check) => check.name)).toEqual([
      'duplicate-rows',
    ]);
  });

  it('a flawless minority wins with checks on; all flawed rejects with the flaw', async () => {
    const verify = (programs: string[], checks: boolean) =>
      verifyExample(
        { id: 'q', candidates: programs.map((program) => ({ program })) },
        {
          task: sqlTask as never,
          executor,
          environment: () => geography,
          options: parseVerifyOptions({ checks, minVotes: 2 }),
          provenance: {},
        },
      );
    const candidates = [MOST_BORDERS, MOST_BORDERS, MOST_BORDERS, MOST_BORDERS_ALL, MOST_BORDERS_ALL];
    expect(await verify(candidates, false)).toMatchObject({ status: 'accepted', program: MOST_BORDERS });
    const checked = await verify(candidates, true);
    expect(checked).toMatchObject({ status: 'accepted', program: MOST_BORDERS_ALL, votes: 2 });
    expect((checked.clusters as { flaws?: string[] }[])[0]!.flaws).toEqual(['limit-tie']);
    expect(await verify([MOST_BORDERS, MOST_BORDERS], true)).toMatchObject({
      status: 'rejected',
      reason: 'limit-tie',
    });
  });
});

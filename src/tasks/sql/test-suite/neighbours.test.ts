import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { parseVerifyOptions } from '../../../verify/options.js';
import { type VerifyContext, verifyExample } from '../../../verify/verify-stream.js';
import { DatabaseSet } from '../databases.js';
import { sqlTask } from '../index.js';
import { collectLiterals } from './literals.js';
import { monotoneMap, neighbourDatabases } from './neighbours.js';

const dir = mkdtempSync(join(tmpdir(), 'symgen-neighbours-'));
const executor = sqlTask.createExecutor({ workers: 1, timeoutMs: 2000 });
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

const geography = DatabaseSet.open(GEOGRAPHY_DB).resolve(undefined);

function context(testSuite: number): VerifyContext {
  return {
    task: sqlTask as never,
    executor,
    environment: () => geography,
    options: parseVerifyOptions({ testSuite, testSuiteDir: dir }),
    provenance: {},
  };
}

async function groups(programs: readonly string[], testSuite: number): Promise<string[][]> {
  const record = await verifyExample(
    { id: 'q', candidates: programs.map((program) => ({ program })) },
    context(testSuite),
  );
  return (record.clusters as { programs: { program: string }[] }[]).map((cluster) =>
    cluster.programs.map((entry) => entry.program),
  );
}

describe('neighbour databases', () => {
  it('collects numeric and string literals, signs included', () => {
    expect(
      collectLiterals(["SELECT a FROM t WHERE b > -3.5 AND c = 'o''hare' LIMIT 2", 'SELECT 1 - 2']),
    ).toEqual({
      numbers: [-3.5, 1, 2],
      strings: ["o'hare"],
      byColumn: { b: [-3.5] },
      stringsByColumn: { c: ["o'hare"] },
    });
  });

  it('ties each literal to the column it is compared with, through CAST, subqueries and COUNT', () => {
    const literals = collectLiterals([
      'SELECT name FROM r WHERE CAST(r.erp AS DECIMAL(10,2)) > 150 AND x IN (SELECT y FROM s WHERE 30 < s.len)',
      "SELECT kind FROM t WHERE t.state = 'vermont' GROUP BY kind HAVING COUNT(*) > 3",
      'SELECT a FROM t WHERE t.age BETWEEN 18 AND 65',
    ]);
    expect(literals.byColumn).toEqual({ age: [18, 65], erp: [150], len: [30] });
    expect(literals.counts).toEqual([3]);
    expect(literals.stringsByColumn).toEqual({ state: ['vermont'] });
  });

  it('knows the columns candidates order by and group by, and reads AVG, MIN and MAX operands', () => {
    const literals = collectLiterals([
      'SELECT p.plane FROM p GROUP BY p.plane HAVING avg(p.age) < 35 ORDER BY count(*) DESC',
      'SELECT name FROM t WHERE max(t.height) > 3 ORDER BY T.len DESC LIMIT 1',
    ]);
    expect(literals.byColumn).toEqual({ age: [35], height: [3] });
    expect(literals.ordered).toEqual(['height', 'len']);
    expect(literals.grouped).toEqual(['plane']);
    // ORDER BY an alias: every name of that program counts as ordered.
    expect(collectLiterals(['SELECT a * 2 AS n FROM t WHERE b > 1 ORDER BY n LIMIT 1']).ordered).toEqual([
      'a',
      'b',
      'n',
      't',
    ]);
  });

  it('maps values in order, ties kept, each move between its neighbours', () => {
    const values = [1, 5, 10, 20, 30];
    let state = 7;
    const random = () => {
      state = (state * 16807) % 2147483647;
      return state / 2147483647;
    };
    for (let round = 0; round < 50; round++) {
      const map = monotoneMap(values, [4, 6, 9, 11, 15, 25, 31], random);
      const images = values.map((value) => map.get(value) ?? value);
      for (let index = 1; index < images.length; index++)
        expect(images[index]!).toBeGreaterThan(images[index - 1]!);
    }
  });

  it('keeps the schema and declared foreign keys, and builds each neighbour once', () => {
    const small = join(dir, 'fk.sqlite');
    const db = new Database(small);
    db.exec(`CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT, budget INTEGER);
      CREATE TABLE emp (id INTEGER PRIMARY KEY, dept_id INTEGER REFERENCES dept(id), salary INTEGER);`);
    for (let index = 1; index <= 20; index++)
      db.prepare('INSERT INTO dept VALUES (?, ?, ?)').run(index, `d${index}`, index * 1000);
    for (let index = 1; index <= 60; index++)
      db.prepare('INSERT INTO emp VALUES (?, ?, ?)').run(index, (index % 20) + 1, index * 100);
    db.close();
    const programs = [
      'SELECT name FROM dept WHERE budget > 5500 ORDER BY budget LIMIT 3',
      'SELECT count(*) FROM emp WHERE salary < 2050',
    ];
    const environments = neighbourDatabases({ id: 'fk', path: small }, programs, { size: 4, dir });
    expect(environments.map((environment) => environment.id)).toEqual(['fk~n0', 'fk~n1', 'fk~n2', 'fk~n3']);
    const schemaOf = (path: string) => {
      const open = new Database(path, { readonly: true });
      const sql = open.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
      const broken = open.prepare('PRAGMA foreign_key_check').all();
      open.close();
      return { sql, broken };
    };
    const original = schemaOf(small);
    let changed = 0;
    for (const { path } of environments) {
      const neighbour = schemaOf(path!);
      expect(neighbour.sql).toEqual(original.sql);
      expect(neighbour.broken).toEqual([]);
      const open = new Database(path!, { readonly: true });
      const budgets = open.prepare('SELECT budget FROM dept ORDER BY id').pluck().all() as number[];
      const ids = open.prepare('SELECT id FROM dept ORDER BY id').pluck().all() as number[];
      open.close();
      // No new tie in a column a candidate orders by: the budgets stay distinct; some sit next to
      // the literal 5500.
      expect(new Set(budgets).size).toBe(budgets.length);
      if (budgets.some((budget) => budget >= 5499 && budget <= 5501)) changed++;
      expect(ids.length).toBeGreaterThan(0);
    }
    expect(changed).toBeGreaterThan(0);
    const before = statSync(environments[0]!.path!).mtimeMs;
    expect(neighbourDatabases({ id: 'fk', path: small }, programs, { size: 4, dir })).toEqual(environments);
    expect(statSync(environments[0]!.path!).mtimeMs).toBe(before);
  });

  it('equivalent rewrites stay together on every neighbour', async () => {
    const equivalent = [
      'SELECT city_name FROM city WHERE population > 182000',
      'SELECT city_name FROM city WHERE 182000 < population',
      'SELECT city_name FROM city WHERE population >= 182001',
      'SELECT city.city_name FROM city WHERE NOT city.population <= 182000',
    ];
    expect(await groups(equivalent, 0)).toHaveLength(1);
    expect(await groups(equivalent, 8)).toHaveLength(1);
  });

  it('LIMIT through a tie does not split programs that agree on the original', async () => {
    // Seven rivers share the greatest length: LIMIT 1 picks one of them.
    const tied = [
      'SELECT river_name FROM river ORDER BY length DESC LIMIT 1',
      'SELECT river.river_name FROM river ORDER BY river.length DESC LIMIT 1',
      'SELECT river_name FROM river ORDER BY length DESC LIMIT 1 OFFSET 0',
    ];
    expect(await groups(tied, 0)).toHaveLength(1);
    expect(await groups(tied, 8)).toHaveLength(1);
  });

  it('splits boundaries the original cannot: text numbers behind CAST, group sizes, a conjunction with no row', async () => {
    const file = join(dir, 'clubs.sqlite');
    const db = new Database(file);
    db.exec(
      `CREATE TABLE club (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, state TEXT, members TEXT, founded INTEGER);`,
    );
    // members are numbers stored as text, none between 100 and 120; kinds have 1 or 5 clubs;
    // no club is in vermont.
    const kinds = ['chess', 'chess', 'chess', 'chess', 'chess', 'go', 'bridge', 'poker', 'rowing', 'darts'];
    kinds.forEach((kind, index) => {
      db.prepare('INSERT INTO club VALUES (?, ?, ?, ?, ?, ?)').run(
        index + 1,
        `c${index}`,
        kind,
        index % 2 ? 'texas' : 'ohio',
        String(index < 4 ? 40 + index * 20 : 130 + index * 10),
        1900 + index * 7,
      );
    });
    db.close();
    const environment = DatabaseSet.open(file).resolve(undefined);
    const split = async (programs: string[], testSuite: number) => {
      const record = await verifyExample(
        { id: 'c', candidates: programs.map((program) => ({ program })) },
        { ...context(testSuite), environment: () => environment },
      );
      return (record.clusters as unknown[]).length;
    };
    const pairs = [
      [
        'SELECT name FROM club WHERE CAST(club.members AS INTEGER) > 100',
        'SELECT name FROM club WHERE CAST(club.members AS INTEGER) > 120',
      ],
      [
        'SELECT kind FROM club GROUP BY kind HAVING COUNT(*) > 3',
        'SELECT kind FROM club GROUP BY kind HAVING COUNT(*) > 1',
      ],
      [
        "SELECT name FROM club WHERE state = 'vermont' AND founded > 1920",
        "SELECT name FROM club WHERE state = 'vermont' AND founded > 1930",
      ],
    ];
    for (const pair of pairs) {
      expect(await split(pair, 0), pair[0]).toBe(1);
      expect(await split(pair, 5), pair[0]).toBe(2);
    }
    // Equivalent forms of each stay together on the same neighbours.
    expect(
      await split(
        [
          'SELECT kind FROM club GROUP BY kind HAVING COUNT(*) > 3',
          'SELECT kind FROM club GROUP BY kind HAVING COUNT(*) >= 4',
          'SELECT c.kind FROM club AS c GROUP BY c.kind HAVING 3 < count(c.id)',
        ],
        5,
      ),
    ).toBe(1);
  });

  it('a boundary mutant that agrees on the original splits on the neighbours', async () => {
    // No city has a population between 181843 and 190037.
    const programs = [
      'SELECT city_name FROM city WHERE population > 182000',
      'SELECT city_name FROM city WHERE population > 189000',
    ];
    expect(await groups(programs, 0)).toHaveLength(1);
    expect(await groups(programs, 5)).toHaveLength(2);
  });

  it('splits a boundary behind a conjunction with a subquery, and one under an arg-max of group counts', async () => {
    const pairs = [
      [
        "SELECT city_name FROM city WHERE population > 150000 AND state_name IN (SELECT traverse FROM river WHERE river_name = 'mississippi' AND length > 750)",
        "SELECT city_name FROM city WHERE population > 149999 AND state_name IN (SELECT traverse FROM river WHERE river_name = 'mississippi' AND length > 750)",
      ],
      [
        'SELECT state_name FROM city WHERE population > 150000 GROUP BY state_name ORDER BY count(1) DESC LIMIT 1',
        'SELECT state_name FROM city WHERE population > 149999 GROUP BY state_name ORDER BY count(1) DESC LIMIT 1',
      ],
    ];
    for (const pair of pairs) {
      expect(await groups(pair, 0), pair[0]).toHaveLength(1);
      expect(await groups(pair, 5), pair[0]).toHaveLength(2);
    }
  });

  it('a LIMIT through ties stays together where the ordered column is compared with a literal', async () => {
    // population is ordered, so it is not flooded: no tie at the boundary for LIMIT to toss.
    const equivalent = [
      'SELECT city_name FROM city WHERE population > 150000 ORDER BY population LIMIT 1',
      'SELECT city.city_name FROM city WHERE city.population >= 150001 ORDER BY city.population ASC LIMIT 1',
      'SELECT n FROM (SELECT city_name AS n, population AS p FROM city) WHERE p > 150000 ORDER BY p LIMIT 1',
    ];
    expect(await groups(equivalent, 8)).toHaveLength(1);
  });

  it('splits keys below every key the data holds, and group sizes in a key of foreign keys', async () => {
    const file = join(dir, 'fleet.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE boat (bid INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE reserve (sid INTEGER, bid INTEGER REFERENCES boat(bid), day TEXT);
      CREATE TABLE driver (driver_id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE vehicle (vehicle_id INTEGER PRIMARY KEY, model TEXT);
      CREATE TABLE vehicle_driver (driver_id INTEGER REFERENCES driver(driver_id),
        vehicle_id INTEGER REFERENCES vehicle(vehicle_id), PRIMARY KEY (driver_id, vehicle_id));`);
    for (const bid of [101, 102, 103]) db.prepare('INSERT INTO boat VALUES (?, ?)').run(bid, `b${bid}`);
    for (const [index, bid] of [102, 102, 103, 103].entries())
      db.prepare('INSERT INTO reserve VALUES (?, ?, ?)').run(index, bid, `9/${index}`);
    for (let id = 1; id <= 8; id++) {
      db.prepare('INSERT INTO driver VALUES (?, ?)').run(id, `d${id}`);
      db.prepare('INSERT INTO vehicle VALUES (?, ?)').run(id, `m${id}`);
    }
    // vehicle 1 has five drivers, the others one or two: none has three or four
    for (const [driver, vehicle] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
      [1, 2],
      [2, 2],
      [3, 3],
      [4, 5],
      [6, 6],
      [7, 6],
    ])
      db.prepare('INSERT INTO vehicle_driver VALUES (?, ?)').run(driver, vehicle);
    db.close();
    const environment = DatabaseSet.open(file).resolve(undefined);
    const split = async (programs: string[], testSuite: number) => {
      const record = await verifyExample(
        { id: 'f', candidates: programs.map((program) => ({ program })) },
        { ...context(testSuite), environment: () => environment },
      );
      return (record.clusters as unknown[]).length;
    };
    const pairs = [
      [
        'SELECT reserve.bid, COUNT(*) FROM reserve GROUP BY reserve.bid HAVING reserve.bid > 50',
        'SELECT reserve.bid, COUNT(*) FROM reserve GROUP BY reserve.bid HAVING reserve.bid > 55',
      ],
      [
        'SELECT T1.vehicle_id FROM vehicle AS T1 JOIN vehicle_driver AS T2 ON T1.vehicle_id = T2.vehicle_id GROUP BY T1.vehicle_id HAVING COUNT(*) > 2',
        'SELECT T1.vehicle_id FROM vehicle AS T1 JOIN vehicle_driver AS T2 ON T1.vehicle_id = T2.vehicle_id GROUP BY T1.vehicle_id HAVING COUNT(*) > 4',
      ],
    ];
    for (const pair of pairs) {
      expect(await split(pair, 0), pair[0]).toBe(1);
      expect(await split(pair, 5), pair[0]).toBe(2);
    }
    expect(
      await split(
        [
          'SELECT T1.vehicle_id FROM vehicle AS T1 JOIN vehicle_driver AS T2 ON T1.vehicle_id = T2.vehicle_id GROUP BY T1.vehicle_id HAVING COUNT(*) > 2',
          'SELECT vehicle_id FROM vehicle_driver GROUP BY vehicle_id HAVING count(driver_id) >= 3',
        ],
        5,
      ),
    ).toBe(1);
    // the neighbours keep the declared foreign keys
    for (const { path } of neighbourDatabases(
      environment,
      [
        'SELECT reserve.bid, COUNT(*) FROM reserve GROUP BY reserve.bid HAVING reserve.bid > 50',
        'SELECT reserve.bid, COUNT(*) FROM reserve GROUP BY reserve.bid HAVING reserve.bid > 55',
      ],
      { size: 5, dir },
    )) {
      const open = new Database(path!, { readonly: true });
      expect(open.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      open.close();
    }
  });
});

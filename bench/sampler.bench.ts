/**
 * Programs-first sampler on the 25 Spider test databases. Per database: BENCH_COUNT programs
 * (default 200) with the default hardness mix, seed BENCH_SEED (default 1); every kept program is
 * executed again in the sandboxed executor (a separate process: an independent check), and the
 * tables and clauses the programs cover are compared with those of the real gold queries of the
 * Spider test set. Also times the in-process read-only execution the sampler uses against the
 * sandboxed executor on the same programs (the measured reason for running sampled programs
 * in-process). BENCH_DATABASES=a,b limits the run to some databases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CONDITION_CLAUSES, DEFAULT_HARDNESS_MIX } from '../src/tasks/sql/conditions/index.js';
import { SqliteExecutor } from '../src/tasks/sql/execute/index.js';
import { DatabaseSet, HARDNESS_LEVELS, loadSqlParser, sqlFeatures } from '../src/tasks/sql/index.js';
import { generateProgramsFirst, type ProgramsFirstExample } from '../src/tasks/sql/programs-first/index.js';
import { openReadOnly, readSqliteSchema } from '../src/tasks/sql/schema.js';

const SPIDER = join(import.meta.dirname, '..', '..', 'shared', 'data', 'spider-test');
const COUNT = Number(process.env.BENCH_COUNT ?? 200);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const CLAUSES: readonly string[] = CONDITION_CLAUSES;

await loadSqlParser();
const set = DatabaseSet.open(join(SPIDER, 'database'));
const gold = readFileSync(join(SPIDER, 'questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { db_id: string; query: string });

const percent = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0);
const fixed = (value: number, digits = 1) => value.toFixed(digits);

interface Row {
  db: string;
  tables: number;
  kept: number;
  executes: number;
  nonEmpty: number;
  mixError: number;
  mix: Record<string, number>;
  tableCoverage: number;
  goldTableCoverage: number | null;
  clauseRecall: number | null;
  missingClauses: string[];
  perSecond: number;
  inProcessMs: number;
  sandboxMs: number;
}

const rows: Row[] = [];
const clauseTotals = {
  generated: new Map<string, number>(),
  gold: new Map<string, number>(),
  programs: 0,
  golds: 0,
};
const executor = new SqliteExecutor();
const only = process.env.BENCH_DATABASES?.split(',');
for (const id of set.ids().filter((name) => !only || only.includes(name))) {
  const environment = set.resolve(id);
  const db = openReadOnly(environment.path);
  const tableNames = readSqliteSchema(db).tables.map((table) => table.name.toLowerCase());
  const started = performance.now();
  const examples: ProgramsFirstExample[] = [];
  for await (const example of generateProgramsFirst({
    dbPath: environment.path,
    dbId: id,
    count: COUNT,
    seed: SEED,
  }))
    examples.push(example);
  const seconds = (performance.now() - started) / 1000;

  // Independent re-execution in the sandbox, and the same programs in-process, timed side by side.
  const sandboxStart = performance.now();
  const results = await Promise.all(
    examples.map((example) => executor.execute(example.program, environment)),
  );
  const sandboxMs = performance.now() - sandboxStart;
  const plain = new Database(environment.path, { readonly: true });
  const inProcessStart = performance.now();
  for (const example of examples) for (const _row of plain.prepare(example.program).raw(true).iterate());
  const inProcessMs = performance.now() - inProcessStart;
  plain.close();
  db.close();

  const mix: Record<string, number> = {};
  for (const example of examples) mix[example.features.hardness] = (mix[example.features.hardness] ?? 0) + 1;
  const shares = Object.fromEntries(
    HARDNESS_LEVELS.map((level) => [level, percent(mix[level] ?? 0, examples.length)]),
  );
  const mixError = Math.max(
    ...HARDNESS_LEVELS.map((level) => Math.abs(shares[level]! - 100 * DEFAULT_HARDNESS_MIX[level])),
  );

  const usedTables = new Set(examples.flatMap((example) => example.features.tables));
  const usedClauses = new Set(examples.flatMap((example) => example.features.clauses));
  for (const clause of examples.flatMap((example) => [...new Set(example.features.clauses)]))
    clauseTotals.generated.set(clause, (clauseTotals.generated.get(clause) ?? 0) + 1);
  clauseTotals.programs += examples.length;
  const goldHere = gold.filter((item) => item.db_id === id).map((item) => sqlFeatures(item.query));
  for (const features of goldHere)
    for (const clause of new Set(features.clauses))
      clauseTotals.gold.set(clause, (clauseTotals.gold.get(clause) ?? 0) + 1);
  clauseTotals.golds += goldHere.length;
  const goldTables = new Set(goldHere.flatMap((features) => features.tables));
  const goldClauses = new Set(
    goldHere.flatMap((features) => features.clauses).filter((clause) => CLAUSES.includes(clause)),
  );
  rows.push({
    db: id,
    tables: tableNames.length,
    kept: examples.length,
    executes: percent(results.filter((result) => result.status === 'ok').length, examples.length),
    nonEmpty: percent(
      results.filter((result) => result.status === 'ok' && (result.size ?? 0) > 0).length,
      examples.length,
    ),
    mixError,
    mix: shares,
    tableCoverage: percent(tableNames.filter((name) => usedTables.has(name)).length, tableNames.length),
    goldTableCoverage: goldHere.length
      ? percent(tableNames.filter((name) => goldTables.has(name)).length, tableNames.length)
      : null,
    clauseRecall: goldClauses.size
      ? percent([...goldClauses].filter((clause) => usedClauses.has(clause)).length, goldClauses.size)
      : null,
    missingClauses: [...goldClauses].filter((clause) => !usedClauses.has(clause)),
    perSecond: examples.length / seconds,
    inProcessMs,
    sandboxMs,
  });
  process.stderr.write(`${id}: ${examples.length} in ${seconds.toFixed(2)} s\n`);
}
await executor.close();

const lines = [
  `Spider test databases: ${rows.length}; ${COUNT} programs asked per database, seed ${SEED}; target mix ${HARDNESS_LEVELS.map((level) => `${level} ${100 * DEFAULT_HARDNESS_MIX[level]}`).join(' / ')}`,
  '',
  '| database | tables | kept | execute % | non-empty % | easy/med/hard/extra % | max mix error (points) | tables covered % (gold %) | gold clauses produced % | programs/s |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((row) =>
    [
      row.db,
      row.tables,
      row.kept,
      fixed(row.executes),
      fixed(row.nonEmpty),
      HARDNESS_LEVELS.map((level) => fixed(row.mix[level]!, 0)).join('/'),
      fixed(row.mixError),
      `${fixed(row.tableCoverage, 0)} (${row.goldTableCoverage === null ? 'no gold' : fixed(row.goldTableCoverage, 0)})`,
      row.clauseRecall === null
        ? 'no gold'
        : `${fixed(row.clauseRecall, 0)}${row.missingClauses.length ? ` (not: ${row.missingClauses.join(', ')})` : ''}`,
      fixed(row.perSecond, 0),
    ]
      .join(' | ')
      .replace(/^/, '| ')
      .concat(' |'),
  ),
];
const total = rows.reduce((sum, row) => sum + row.kept, 0);
const mean = (pick: (row: Row) => number) => rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
const withGold = rows.filter((row) => row.goldTableCoverage !== null);
lines.push(
  '',
  `all: ${total} programs; execute ${fixed(Math.min(...rows.map((row) => row.executes)))}% (lowest database), non-empty ${fixed(Math.min(...rows.map((row) => row.nonEmpty)))}% (lowest), ` +
    `max mix error ${fixed(Math.max(...rows.map((row) => row.mixError)))} points (worst database), mean ${fixed(mean((row) => row.mixError))}; ` +
    `tables covered ${fixed(mean((row) => row.tableCoverage))}% vs gold ${fixed(withGold.reduce((sum, row) => sum + row.goldTableCoverage!, 0) / withGold.length)}% (mean over databases with gold); ` +
    `${fixed(
      mean((row) => row.perSecond),
      0,
    )} programs/s (mean per database, including profiling and the parser)`,
  '',
  '| clause | share of generated programs % | share of gold queries % |',
  '|---|---|---|',
  ...CLAUSES.map(
    (clause) =>
      `| ${clause} | ${fixed(percent(clauseTotals.generated.get(clause) ?? 0, clauseTotals.programs))} | ${fixed(percent(clauseTotals.gold.get(clause) ?? 0, clauseTotals.golds))} |`,
  ),
  '',
  `execution of the kept programs: in-process read-only ${fixed(
    rows.reduce((sum, row) => sum + row.inProcessMs, 0),
    0,
  )} ms, ` +
    `sandboxed executor ${fixed(
      rows.reduce((sum, row) => sum + row.sandboxMs, 0),
      0,
    )} ms ` +
    `(ratio ${fixed(rows.reduce((sum, row) => sum + row.sandboxMs, 0) / rows.reduce((sum, row) => sum + row.inProcessMs, 0), 1)}x)`,
);
console.log(lines.join('\n'));

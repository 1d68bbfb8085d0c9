/**
 * `symgen verify` on GeoQuery (train + dev, 880 questions) with 20 candidates per question, against
 * (1) the floor: every distinct extracted program executed once, in one process, same SQLite engine
 * (measured in this process, and as a command of its own, bench/floor-process.mjs), and (2) SymGen's own filter algorithm (bench/symgen_filter.py) on the same file. Side by side, in
 * one run, repeated; ratios of medians are reported.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { extractSql } from '../src/tasks/sql/index.js';
import { executeEach } from './floor-process.mjs';
import { makeCandidates, readGold } from './make-candidates.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'geoquery-sql');
const DB = join(DATA, 'geography.sqlite');
const OUT = join(import.meta.dirname, 'out');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

mkdirSync(OUT, { recursive: true });
const gold = [...readGold(join(DATA, 'train.jsonl')), ...readGold(join(DATA, 'dev.jsonl'))];
const examples = makeCandidates(gold, 20, 11) as { candidates: { program: string }[] }[];
const input = join(OUT, 'geoquery-candidates.jsonl');
writeFileSync(input, `${examples.map((line) => JSON.stringify(line)).join('\n')}\n`);
const candidates = examples.reduce((sum, example) => sum + example.candidates.length, 0);

const distinct = new Set<string>();
for (const example of examples) {
  for (const candidate of example.candidates) {
    const program = extractSql(candidate.program);
    if (program) distinct.add(program);
  }
}
const programsFile = join(OUT, 'distinct-programs.json');
writeFileSync(programsFile, JSON.stringify([...distinct]));

function floor(): number {
  const started = performance.now();
  const db = new Database(DB, { readonly: true });
  executeEach(db, distinct);
  db.close();
  return performance.now() - started;
}

/** A python3 that can import sqlparse (SymGen's post-processing needs it): pyenv's, else Debian's. */
function pythonWithSqlparse(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import sqlparse'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

// The built package (npm run bench:verify builds it first), so the executor processes run JavaScript
// as they do for a user, not TypeScript through tsx.
const { verifySqlFile } = (await import(
  join(import.meta.dirname, '..', 'dist', 'index.js')
)) as typeof import('../src/index.js');

async function inProcess(): Promise<number> {
  const started = performance.now();
  await verifySqlFile({
    db: DB,
    input,
    output: join(OUT, 'verified-api.jsonl'),
    minVotes: 5,
  });
  return performance.now() - started;
}

function timed(command: string, args: string[]): number {
  const started = performance.now();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const times = {
  floor: [] as number[],
  floorProcess: [] as number[],
  api: [] as number[],
  verify: [] as number[],
  verifyOneThread: [] as number[],
  verifyProcesses: [] as number[],
  symgen: [] as number[],
  symgenNoSqlparse: [] as number[],
};
const bin = join(import.meta.dirname, '..', 'bin', 'symgen.js');
const python = pythonWithSqlparse();
if (!python)
  console.warn(
    'sqlparse is not installed (apt-get install python3-sqlparse): the SymGen filter runs without it',
  );
const filter = join(import.meta.dirname, 'symgen_filter.py');
for (let round = 0; round < REPEATS; round++) {
  times.floor.push(floor());
  times.floorProcess.push(timed('node', [join(import.meta.dirname, 'floor-process.mjs'), DB, programsFile]));
  times.api.push(await inProcess());
  const cli = (output: string, ...extra: string[]) =>
    timed('node', [
      bin,
      'verify',
      '--task',
      'sql',
      '--db',
      DB,
      '--in',
      input,
      '--out',
      output,
      '--min-votes',
      '5',
      ...extra,
    ]);
  times.verify.push(cli(join(OUT, 'verified.jsonl')));
  times.verifyOneThread.push(cli(join(OUT, 'verified-1.jsonl'), '--workers', '1'));
  times.verifyProcesses.push(cli(join(OUT, 'verified-processes.jsonl'), '--executor', 'processes'));
  if (python) times.symgen.push(timed(python, [filter, DB, input, join(OUT, 'symgen.jsonl'), '5']));
  times.symgenNoSqlparse.push(
    timed('python3', [filter, DB, input, join(OUT, 'symgen-no-sqlparse.jsonl'), '5', '--no-sqlparse']),
  );
}
const verified = readFileSync(join(OUT, 'verified.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const accepted = verified.filter((line) => line.status === 'accepted').length;
const outputs = ['verified.jsonl', 'verified-1.jsonl', 'verified-processes.jsonl', 'verified-api.jsonl'].map(
  (file) => readFileSync(join(OUT, file), 'utf8'),
);
const identical = outputs.every((output) => output === outputs[0]);
const floorMs = median(times.floor);
// Round 1 starts the shared verify threads (cold); later rounds find them loaded and JIT-warm.
const apiColdMs = times.api[0]!;
const apiMs = median(times.api.length > 1 ? times.api.slice(1) : times.api);
const verifyMs = median(times.verify);
const rate = (ms: number) => `${Math.round(candidates / (ms / 1000)).toLocaleString('en')} candidates/s`;
const row = (label: string, ms: number) =>
  console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms  ${rate(ms)}`);
console.log(`GeoQuery: ${examples.length} questions, ${candidates} candidates, ${REPEATS} rounds (medians)`);
row(`floor (${distinct.size} distinct programs executed once, in-process)`, floorMs);
const floorProcessMs = median(times.floorProcess);
row('floor as a command (fresh node process: start, open, execute)', floorProcessMs);
row('verifySqlFile, first call (starts the shared threads)', apiColdMs);
row('verifySqlFile, later calls (shared threads warm; median)', apiMs);
row(`symgen verify (whole CLI run, node start included), accepted ${accepted}`, verifyMs);
row('symgen verify --workers 1 (the main thread alone)', median(times.verifyOneThread));
row('symgen verify --executor processes (executor processes, as before)', median(times.verifyProcesses));
if (times.symgen.length > 0)
  row('SymGen filter as published (python, sqlparse, Pool(8))', median(times.symgen));
row('SymGen filter without its sqlparse step', median(times.symgenNoSqlparse));
console.log(
  `outputs (CLI on two threads, on one, executor processes, verifySqlFile): ${identical ? 'byte-identical' : 'DIFFERENT'}`,
);
console.log(
  `ratios: API warm / floor ${(apiMs / floorMs).toFixed(2)}x   API first call / floor ${(apiColdMs / floorMs).toFixed(2)}x   ` +
    `CLI / floor ${(verifyMs / floorMs).toFixed(2)}x   CLI / floor as a command ${(verifyMs / floorProcessMs).toFixed(2)}x   ` +
    `CLI one thread / two ${(median(times.verifyOneThread) / verifyMs).toFixed(2)}x   CLI processes / threads ${(median(times.verifyProcesses) / verifyMs).toFixed(2)}x   ` +
    (times.symgen.length > 0
      ? `SymGen filter / CLI ${(median(times.symgen) / verifyMs).toFixed(1)}x   `
      : '') +
    `SymGen without sqlparse / CLI ${(median(times.symgenNoSqlparse) / verifyMs).toFixed(1)}x`,
);

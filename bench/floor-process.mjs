// The floor as a command: a fresh node process that opens the database and executes each distinct
// program once (same better-sqlite3 engine, same 100,000-row cap), nothing else. Node's start-up and
// loading better-sqlite3 are in it, as they are in a `symgen verify` run.
// Usage: node bench/floor-process.mjs DB PROGRAMS.json
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';

const [db, list] = process.argv.slice(2);
const programs = JSON.parse(readFileSync(list, 'utf8'));
const connection = new Database(db, { readonly: true });
for (const program of programs) {
  try {
    let rows = 0;
    for (const _row of connection.prepare(program).raw(true).iterate()) if (++rows > 100_000) break;
  } catch {
    // failing candidates cost their prepare, as in the verifier
  }
}
connection.close();

// The floor: each distinct program executed once (same better-sqlite3 engine, same 100,000-row cap),
// nothing else. Run as a command, a fresh node process that opens the database and executes the
// programs, so node's start-up and loading better-sqlite3 are in it as they are in `symgen verify`;
// bench/verify.bench.ts also imports `executeEach` to measure it in its own process.
// Usage: node bench/floor-process.mjs DB PROGRAMS.json
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

/**
 * Execute each program once on `connection`, reading at most 100,001 rows of each.
 * @param {import('better-sqlite3').Database} connection
 * @param {Iterable<string>} programs
 */
export function executeEach(connection, programs) {
  for (const program of programs) {
    try {
      let rows = 0;
      for (const _row of connection.prepare(program).raw(true).iterate()) if (++rows > 100_000) break;
    } catch {
      // failing candidates cost their prepare, as in the verifier
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [db, list] = process.argv.slice(2);
  const connection = new Database(db, { readonly: true });
  executeEach(connection, JSON.parse(readFileSync(list, 'utf8')));
  connection.close();
}

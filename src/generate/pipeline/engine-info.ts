import Database from 'better-sqlite3';
import { SYMGEN_VERSION } from '../../version.js';

export { SYMGEN_VERSION };

let cached: { symgen: string; sqlite: string; node: string } | undefined;

/** The engine versions a reader needs to re-run a check: symgen, SQLite, Node. */
export function engineInfo(): { symgen: string; sqlite: string; node: string } {
  if (!cached) {
    const db = new Database(':memory:');
    const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    db.close();
    cached = { symgen: SYMGEN_VERSION, sqlite, node: process.versions.node };
  }
  return cached;
}

import type Database from 'better-sqlite3';

/** Execute each program once on `connection`, reading at most 100,001 rows of each. */
export function executeEach(connection: Database.Database, programs: Iterable<string>): void;

import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DatabaseError } from '../../errors/index.js';
import type { ExecutionEnvironment } from '../spec.js';

const SQLITE_HEADER = 'SQLite format 3\u0000';
const FULL_HASH_LIMIT = 256 * 1024 * 1024;

/** A resolved database: its id, absolute path and a fingerprint of its content. */
export interface DatabaseEnvironment extends ExecutionEnvironment {
  readonly path: string;
  /** SHA-256 of the file (of its size, head and tail past 256 MiB), so a reader can tell the same database. */
  readonly sha256: string;
}

/**
 * The databases behind `--db PATH`: one SQLite file used for every example, or a folder holding
 * `<db_id>.sqlite` (or `.db`) files or Spider's `<db_id>/<db_id>.sqlite` layout.
 */
export class DatabaseSet {
  private readonly resolved = new Map<string, DatabaseEnvironment>();

  private constructor(
    readonly root: string,
    readonly isFolder: boolean,
  ) {}

  /** Check that `path` exists and holds SQLite databases; throws a one-line `DatabaseError` if not. */
  static open(path: string): DatabaseSet {
    const root = resolve(path);
    if (!existsSync(root)) {
      throw new DatabaseError(
        `database not found: ${path} (pass --db a .sqlite file or a folder of <db_id>.sqlite files)`,
        root,
      );
    }
    if (statSync(root).isDirectory()) {
      const entries = readdirSync(root);
      const any = entries.some(
        (entry) => /\.(sqlite|db)$/.test(entry) || existsSync(join(root, entry, `${entry}.sqlite`)),
      );
      if (!any) {
        throw new DatabaseError(
          `no databases in folder ${path}: expected <db_id>.sqlite or <db_id>/<db_id>.sqlite files`,
          root,
        );
      }
      return new DatabaseSet(root, true);
    }
    checkSqliteFile(root, path);
    return new DatabaseSet(root, false);
  }

  /** The database for an example's `db_id` (ignored when `--db` is one file). Throws when it does not exist. */
  resolve(dbId: string | undefined): DatabaseEnvironment {
    const key = this.isFolder ? (dbId ?? '') : '';
    const known = this.resolved.get(key);
    if (known) return known;
    const environment = this.isFolder
      ? this.resolveInFolder(dbId)
      : this.describe(dbId ?? basename(this.root).replace(/\.[^.]+$/, ''), this.root);
    this.resolved.set(key, environment);
    return environment;
  }

  /**
   * Every database id this set can resolve, sorted: the file's own name for one file, else each
   * `<db_id>.sqlite`, `<db_id>.db` and `<db_id>/<db_id>.sqlite` in the folder.
   */
  ids(): string[] {
    if (!this.isFolder) return [basename(this.root).replace(/\.[^.]+$/, '')];
    const found = new Set<string>();
    for (const entry of readdirSync(this.root)) {
      const file = /^(.+)\.(sqlite|db)$/.exec(entry);
      if (file?.[1]) found.add(file[1]);
      else if (existsSync(join(this.root, entry, `${entry}.sqlite`))) found.add(entry);
    }
    return [...found].sort();
  }

  private resolveInFolder(dbId: string | undefined): DatabaseEnvironment {
    if (!dbId) {
      throw new DatabaseError(
        `an example has no db_id, which is needed when --db is a folder (${this.root})`,
        this.root,
      );
    }
    if (/[/\\]|\.\./.test(dbId))
      throw new DatabaseError(`db_id ${JSON.stringify(dbId)} is not a plain name`, this.root);
    const candidates = [
      join(this.root, `${dbId}.sqlite`),
      join(this.root, dbId, `${dbId}.sqlite`),
      join(this.root, `${dbId}.db`),
    ];
    const found = candidates.find((candidate) => existsSync(candidate));
    if (!found) {
      throw new DatabaseError(
        `database ${dbId} not found in ${this.root} (looked for ${dbId}.sqlite and ${dbId}/${dbId}.sqlite)`,
        this.root,
      );
    }
    checkSqliteFile(found, found);
    return this.describe(dbId, found);
  }

  private describe(id: string, path: string): DatabaseEnvironment {
    return { id, path, sha256: fingerprint(path) };
  }
}

function checkSqliteFile(path: string, shown: string): void {
  let header = '';
  try {
    const descriptor = openSync(path, 'r');
    const buffer = Buffer.alloc(16);
    readSync(descriptor, buffer, 0, 16, 0);
    closeSync(descriptor);
    header = buffer.toString('latin1');
  } catch (error) {
    throw new DatabaseError(`cannot read database ${shown}: ${(error as Error).message}`, path, {
      cause: error,
    });
  }
  if (header !== SQLITE_HEADER)
    throw new DatabaseError(`${shown} is not a SQLite database (bad header)`, path);
}

function fingerprint(path: string): string {
  const size = statSync(path).size;
  const hash = createHash('sha256');
  const descriptor = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    if (size <= FULL_HASH_LIMIT) {
      let position = 0;
      while (position < size) {
        const read = readSync(descriptor, chunk, 0, chunk.length, position);
        hash.update(chunk.subarray(0, read));
        position += read;
      }
    } else {
      hash.update(`size:${size}`);
      for (const position of [0, size - chunk.length])
        hash.update(chunk.subarray(0, readSync(descriptor, chunk, 0, chunk.length, position)));
    }
  } finally {
    closeSync(descriptor);
  }
  return hash.digest('hex');
}

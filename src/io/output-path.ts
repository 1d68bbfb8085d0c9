import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { InputError } from '../errors/index.js';

/** What a file-system error code means to a person, and what to do about it. */
const SYSTEM_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space',
  EDQUOT: 'the disk quota is used up: free some space',
  SQLITE_FULL: 'the disk is full: free some space',
  EROFS: 'the file system is read-only: choose a writable place',
  EACCES: 'permission denied: choose a folder you can write to',
  EPERM: 'permission denied: choose a folder you can write to',
  EISDIR: 'it is a folder: name a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'the folder cannot hold new files',
  EIO: 'the disk reported an input/output error',
  SQLITE_IOERR: 'the disk reported an input/output error',
  SQLITE_READONLY: 'the file is read-only: choose a writable place',
  SQLITE_CANTOPEN: 'the file cannot be created there: choose a writable place',
};

/** The code of a Node system error or a better-sqlite3 error (`SQLITE_IOERR_WRITE` -> `SQLITE_IOERR`). */
export function systemErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code in SYSTEM_CAUSES) return code;
  const base = code.split('_').slice(0, 2).join('_');
  return base in SYSTEM_CAUSES ? base : undefined;
}

/** One line saying why writing failed and what to do, for a system error; undefined for anything else. */
export function describeWriteFailure(error: unknown): string | undefined {
  const code = systemErrorCode(error);
  return code ? `${SYSTEM_CAUSES[code]} (${code})` : undefined;
}

/**
 * Creates the output folder `dir` (and missing parents) one level at a time. Node's recursive
 * `mkdir` loops forever on paths such as `/proc/x`, where a parent exists but refuses new entries;
 * here every failure ends at once in an {@link InputError} naming the flag, the path and a fix.
 */
export function makeOutputFolder(dir: string, flag = '--out'): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const stats = statOrUndefined(current);
    if (stats) {
      if (!stats.isDirectory()) {
        throw new InputError(`${flag} ${dir}: ${current} is a file, not a folder; choose another ${flag}`, {
          file: current,
        });
      }
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current || parse(current).root === current) break;
    current = parent;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST' && statOrUndefined(folder)?.isDirectory()) continue;
      throw new InputError(
        `${flag} ${dir}: cannot create the folder ${folder}: ${describeWriteFailure(error) ?? (error as Error).message}; choose another ${flag}`,
        { file: folder, cause: error },
      );
    }
  }
}

/**
 * Checks, before anything is written, that `path` can be an output file: not a folder, in a folder
 * that exists. Throws an {@link InputError} naming the flag, the path and a fix.
 */
export function checkOutputFile(path: string, flag = '--out'): void {
  const stats = statOrUndefined(path);
  if (stats?.isDirectory()) {
    throw new InputError(
      `${flag} ${path} is a folder; name a file to write, e.g. ${join(path, 'out.jsonl')}`,
      { file: path },
    );
  }
  const folder = dirname(resolve(path));
  const folderStats = statOrUndefined(folder);
  if (!folderStats) {
    throw new InputError(`${flag} ${path}: the folder ${folder} does not exist (create it first)`, {
      file: path,
    });
  }
  if (!folderStats.isDirectory()) {
    throw new InputError(`${flag} ${path}: ${folder} is a file, not a folder; choose another ${flag}`, {
      file: path,
    });
  }
}

/** Matches the temporary files of {@link writeTextAtomically}: `.<name>.<pid>.<ms>.tmp`. */
const TEMPORARY = /^\..+\.(\d+)\.\d+\.tmp$/;

/**
 * Removes temporary files left in `folder` by atomic writes of processes that no longer run (a
 * process killed while writing its outputs). Returns the names removed.
 */
export function removeStaleTemporaries(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    rmSync(join(folder, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user
    return (error as { code?: string }).code === 'EPERM';
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

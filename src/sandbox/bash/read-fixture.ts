import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError } from '../../errors/index.js';
import type { FixtureFile } from '../process/protocol.js';

/** Caps on what a fixture directory may hold: it travels to the sandbox inside one request. */
export interface FixtureLimits {
  /** Total bytes of file content. @default 1048576 */
  readonly maxBytes?: number;
  /** Files and directories. @default 1000 */
  readonly maxEntries?: number;
}

/**
 * Read a small host directory into fixture files that the sandbox recreates in the candidate's
 * private working directory (a copy: the candidate never touches the host directory).
 * A file with more than one hard link is refused (it may be a host file linked in, e.g. by a user
 * who can write the folder but not read the file): each file is opened without following links
 * (O_NOFOLLOW) and must be, by device and inode, the regular file of one link seen when listing.
 * @throws InputError when the directory is missing, holds a symlink, a hard-linked or other special
 * file, changes while read, or is too large.
 */
export async function readFixtureDirectory(
  directory: string,
  limits: FixtureLimits = {},
): Promise<FixtureFile[]> {
  const maxBytes = limits.maxBytes ?? 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 1000;
  const files: FixtureFile[] = [];
  let bytes = 0;
  async function visit(path: string): Promise<void> {
    const names = (await readdir(path)).sort();
    for (const name of names) {
      const full = join(path, name);
      const stats = await lstat(full);
      const relativePath = relative(directory, full).split(sep).join('/');
      const mode = stats.mode & 0o7777;
      if (stats.isDirectory()) {
        files.push({ path: relativePath, type: 'dir', mode });
        await visit(full);
      } else if (stats.isFile()) {
        if (stats.nlink > 1) {
          throw new InputError(
            `fixture ${full} has ${stats.nlink} hard links; copy it into the fixture (cp) instead of linking it`,
          );
        }
        bytes += stats.size;
        if (bytes > maxBytes) {
          throw new InputError(
            `fixture ${directory} holds more than ${maxBytes} bytes; use a smaller fixture`,
          );
        }
        files.push({
          path: relativePath,
          contentBase64: (await readOneLink(full, stats)).toString('base64'),
          mode,
        });
      } else {
        throw new InputError(
          `fixture ${full} is not a regular file or directory; remove it from the fixture`,
        );
      }
      if (files.length > maxEntries) {
        throw new InputError(
          `fixture ${directory} holds more than ${maxEntries} entries; use a smaller fixture`,
        );
      }
    }
  }
  try {
    const top = await lstat(directory);
    if (!top.isDirectory()) throw new InputError(`fixture ${directory} is not a directory; pass a folder`);
    await visit(directory);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read fixture directory ${directory}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return files;
}

/**
 * Read a file listed as `listed` without following a link, and only if it is still that file: a
 * regular file of one link, same device and inode (a file swapped for a link or another file
 * between the listing and the read is refused).
 */
async function readOneLink(path: string, listed: { dev: number; ino: number }): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.nlink !== 1 || opened.dev !== listed.dev || opened.ino !== listed.ino) {
      throw new InputError(`fixture ${path} changed while it was read (or has hard links); read it again`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

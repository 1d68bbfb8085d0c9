import { lstat, readdir, readFile } from 'node:fs/promises';
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
 * @throws InputError when the directory is missing, holds a symlink or other special file, or is too large.
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
        bytes += stats.size;
        if (bytes > maxBytes) {
          throw new InputError(
            `fixture ${directory} holds more than ${maxBytes} bytes; use a smaller fixture`,
          );
        }
        files.push({ path: relativePath, contentBase64: (await readFile(full)).toString('base64'), mode });
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
    await visit(directory);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read fixture directory ${directory}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return files;
}

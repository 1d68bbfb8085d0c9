import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const memo = new Map<string, { stamp: string; sha256: string }>();

/**
 * SHA-256 of a file, or of a folder (its files' relative paths and SHA-256s, sorted), remembered per
 * path while the file's size and modification time stay the same. Coordinator and workers compare
 * these to be sure they read the same databases, fixtures and task modules.
 */
export async function fingerprint(path: string): Promise<string> {
  const stats = statSync(path);
  if (stats.isDirectory()) {
    const files = listFiles(path);
    const hash = createHash('sha256');
    for (const file of files) hash.update(`${relative(path, file)}\0${await fingerprint(file)}\n`);
    return hash.digest('hex');
  }
  const stamp = `${stats.size}:${stats.mtimeMs}`;
  const known = memo.get(path);
  if (known?.stamp === stamp) return known.sha256;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  memo.set(path, { stamp, sha256 });
  return sha256;
}

function listFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(path));
    else if (entry.isFile() && !/-(wal|shm|journal)$/.test(entry.name)) found.push(path);
  }
  return found;
}

import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors/index.js';

/**
 * Write lines to `path` all or nothing: lines go to a temporary file beside it, renamed over
 * `path` only when `write` finished without throwing. On failure the temporary file is removed and
 * any existing `path` is left as it was.
 */
export async function writeLinesAtomically(path: string, lines: AsyncIterable<string>): Promise<number> {
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new InputError(`cannot write ${path}: folder ${folder} does not exist (create it first)`, {
      file: path,
    });
  }
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const stream = createWriteStream(temporary, { encoding: 'utf8' });
  let streamError: Error | undefined;
  stream.on('error', (error) => {
    streamError = error;
  });
  let count = 0;
  try {
    let buffer = '';
    for await (const line of lines) {
      buffer += `${line}\n`;
      count++;
      if (buffer.length > 1 << 16) {
        if (!stream.write(buffer)) await once(stream, 'drain');
        buffer = '';
      }
    }
    stream.end(buffer);
    if (!streamError) await once(stream, 'finish');
    if (streamError)
      throw new InputError(`cannot write ${path}: ${streamError.message}`, {
        file: path,
        cause: streamError,
      });
    renameSync(temporary, path);
    return count;
  } catch (error) {
    stream.destroy();
    rmSync(temporary, { force: true });
    throw error;
  }
}

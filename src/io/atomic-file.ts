import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors/index.js';
import { checkOutputFile, describeWriteFailure } from './output-path.js';

/**
 * Write lines to `path` all or nothing: lines go to a temporary file beside it, renamed over
 * `path` only when `write` finished without throwing. On failure the temporary file is removed and
 * any existing `path` is left as it was. Returns the number of lines written.
 */
export async function writeLinesAtomically(path: string, lines: AsyncIterable<string>): Promise<number> {
  let count = 0;
  async function* buffered(): AsyncGenerator<string> {
    let buffer = '';
    for await (const line of lines) {
      buffer += `${line}\n`;
      count++;
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer.length > 0) yield buffer;
  }
  await writeTextAtomically(path, buffered());
  return count;
}

/** Temporary files of writes in progress, removed by {@link removeLiveTemporaries} when the process is stopped. */
const live = new Set<string>();

/** Removes the temporary files of unfinished atomic writes (called when the process is stopped by a signal). */
export function removeLiveTemporaries(): void {
  for (const temporary of live) rmSync(temporary, { force: true });
  live.clear();
}

/** Write text chunks to `path` all or nothing, as {@link writeLinesAtomically} does lines. */
export async function writeTextAtomically(path: string, chunks: AsyncIterable<string>): Promise<void> {
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new InputError(`cannot write ${path}: folder ${folder} does not exist (create it first)`, {
      file: path,
    });
  }
  checkOutputFile(path, 'output');
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  live.add(temporary);
  const stream = createWriteStream(temporary, { encoding: 'utf8' });
  let streamError: Error | undefined;
  stream.on('error', (error) => {
    streamError = error;
  });
  try {
    for await (const chunk of chunks) {
      if (streamError) break;
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    if (!streamError) await once(stream, 'finish');
    if (streamError) throw streamError;
    renameSync(temporary, path);
    live.delete(temporary);
  } catch (error) {
    live.delete(temporary);
    stream.destroy();
    rmSync(temporary, { force: true });
    if (error instanceof InputError) throw error;
    const why = describeWriteFailure(error);
    if (why === undefined) throw error;
    throw new InputError(`cannot write ${path}: ${why}; nothing was written there`, {
      file: path,
      cause: error,
    });
  }
}

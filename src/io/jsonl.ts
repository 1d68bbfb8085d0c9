import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../errors/index.js';

/** One line of a JSONL file: its parsed value, or why it could not be parsed. */
export type JsonlLine =
  | { readonly line: number; readonly value: unknown; readonly error?: undefined }
  | { readonly line: number; readonly value?: undefined; readonly error: string };

/** Throw a one-line `InputError` unless `path` is a readable file. */
export function assertReadableFile(path: string, what: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new InputError(`${what} not found: ${path}`, { file: path, cause: error });
  }
  if (!isFile) throw new InputError(`${what} is not a file: ${path}`, { file: path });
}

/**
 * Read a JSONL file line by line. Blank lines are skipped; a line that is not JSON is yielded with
 * its 1-based line number and the parse error, so one bad line never stops the rest.
 */
export async function* readJsonl(path: string): AsyncGenerator<JsonlLine> {
  assertReadableFile(path, 'input file');
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let number = 0;
  for await (const text of lines) {
    const line = parseJsonlLine(text, ++number);
    if (line) yield line;
  }
}

/**
 * One line of a JSONL file, numbered `number` (1-based): its value, or why it is not JSON; `null`
 * for a blank line, which readers skip.
 */
export function parseJsonlLine(text: string, number: number): JsonlLine | null {
  if (text.trim() === '') return null;
  try {
    return { line: number, value: JSON.parse(text) };
  } catch (error) {
    return { line: number, error: `line ${number} is not valid JSON: ${(error as Error).message}` };
  }
}

/** Count the non-blank lines of a file quickly (for progress totals). */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  let previous = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (byte === 10 && previous !== 10) count++;
      previous = byte;
    }
  }
  return previous === 10 ? count : count + 1;
}

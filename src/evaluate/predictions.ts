import { readFileSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import { assertReadableFile } from '../io/index.js';

/** One gold or predicted program with what identifies it. */
export interface ProgramLine {
  readonly line: number;
  readonly id?: string;
  readonly dbId?: string;
  readonly question?: string;
  readonly program: string;
}

const PROGRAM_FIELDS = ['program', 'query', 'sql', 'prediction', 'pred', 'gold'];

/**
 * Read a file of programs: JSONL (with a `program`, `query`, `sql`, `prediction`, `pred` or `gold`
 * field, and optionally `id` and `db_id`) or plain text with one program a line (Spider's format,
 * where a tab may separate the program from its db_id). Throws a one-line `InputError` naming the
 * line on a bad one: a gold or prediction file with a hole would silently shift every pair after it.
 */
export function readPrograms(path: string, what: string): ProgramLine[] {
  assertReadableFile(path, `${what} file`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const programs: ProgramLine[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    if (!text.trimStart().startsWith('{')) {
      const [program, dbId] = text.split('\t');
      programs.push({ line, program: program!.trim(), ...(dbId ? { dbId: dbId.trim() } : {}) });
      return;
    }
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(
        `${what} file ${path} line ${line} is not valid JSON: ${(error as Error).message}`,
        { file: path, line },
      );
    }
    const field = PROGRAM_FIELDS.find((name) => typeof value[name] === 'string');
    if (!field) {
      throw new InputError(
        `${what} file ${path} line ${line} has no program (expected one of: ${PROGRAM_FIELDS.join(', ')})`,
        {
          file: path,
          line,
        },
      );
    }
    programs.push({
      line,
      program: value[field] as string,
      ...(value.id === undefined ? {} : { id: String(value.id) }),
      ...(typeof value.db_id === 'string' ? { dbId: value.db_id } : {}),
      ...(typeof value.question === 'string' ? { question: value.question } : {}),
    });
  });
  return programs;
}

/** Pair gold with predictions: by `id` when every line of both has one, else line by line. */
export function pairPrograms(
  gold: readonly ProgramLine[],
  predictions: readonly ProgramLine[],
): [ProgramLine, ProgramLine | undefined][] {
  const byId =
    gold.every((entry) => entry.id !== undefined) && predictions.every((entry) => entry.id !== undefined);
  if (byId) {
    const index = new Map(predictions.map((entry) => [entry.id!, entry]));
    return gold.map((entry) => [entry, index.get(entry.id!)]);
  }
  if (gold.length !== predictions.length) {
    throw new InputError(
      `gold has ${gold.length} programs and predictions ${predictions.length}: without an id on every line they are paired line by line, so the counts must match`,
    );
  }
  return gold.map((entry, position) => [entry, predictions[position]]);
}

import { ConfigError } from '../../errors/index.js';
import { readJsonl } from '../../io/index.js';

/** One human demonstration: a question and its program. */
export interface Demonstration {
  /** `<file name>:<line>` unless the line has an `id`. */
  readonly id: string;
  readonly question: string;
  readonly program: string;
  readonly dbId?: string;
  /** The whole line, for tasks that read more of it (MBPP's tests, a TOP tree's labels). */
  readonly record?: Readonly<Record<string, unknown>>;
}

/** Demonstrations read from a file, and the lines skipped with why. */
export interface DemonstrationPool {
  readonly items: readonly Demonstration[];
  readonly skipped: readonly { line: number; reason: string }[];
}

/**
 * Reads demonstrations from JSONL (`{"question", "query", "db_id"?}` by default; the field names are
 * configurable, and a task may read a line its own way: `read`, e.g. MBPP's problem with its tests).
 * A bad line is skipped and reported, not fatal; a file with no usable line is a config error.
 */
export async function loadDemonstrations(
  file: string,
  fields: { question: string; program: string } = { question: 'question', program: 'query' },
  read?: (record: Readonly<Record<string, unknown>>) => { question: string; program: string } | null,
): Promise<DemonstrationPool> {
  const items: Demonstration[] = [];
  const skipped: { line: number; reason: string }[] = [];
  const name = file.split('/').pop() ?? file;
  for await (const line of readJsonl(file)) {
    if (line.error !== undefined) {
      skipped.push({ line: line.line, reason: line.error });
      continue;
    }
    const value = line.value as Record<string, unknown>;
    const own =
      read && typeof value === 'object' && value !== null && !Array.isArray(value) ? read(value) : undefined;
    const question = own ? own.question : own === null ? undefined : value?.[fields.question];
    const program = own ? own.program : own === null ? undefined : value?.[fields.program];
    if (typeof question !== 'string' || typeof program !== 'string' || !question.trim() || !program.trim()) {
      skipped.push({
        line: line.line,
        reason: `expected string fields "${fields.question}" and "${fields.program}"`,
      });
      continue;
    }
    const id =
      typeof value.id === 'string' || typeof value.id === 'number'
        ? String(value.id)
        : `${name}:${line.line}`;
    const dbId = typeof value.db_id === 'string' ? value.db_id : undefined;
    items.push({
      id,
      question: question.trim(),
      program: program.trim(),
      ...(dbId ? { dbId } : {}),
      record: value,
    });
  }
  if (items.length === 0) {
    throw new ConfigError(file, [
      {
        path: 'demonstrations.file',
        message: `no usable demonstration (each line needs string fields "${fields.question}" and "${fields.program}"; check --task, or set demonstrations.questionField/programField)`,
      },
    ]);
  }
  return { items, skipped };
}

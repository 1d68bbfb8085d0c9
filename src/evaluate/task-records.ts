import { readFileSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import { assertReadableFile } from '../io/index.js';
import type { TaskPlugin, TaskRecord } from '../tasks/spec.js';

/** One line of a gold or prediction file, with its id when it has one (`id` or MBPP's `task_id`). */
export interface RecordLine {
  readonly line: number;
  readonly id?: string;
  readonly record: TaskRecord;
}

/**
 * Read JSONL records, or plain text with one program a line (read as `{ program }`). Throws a
 * one-line `InputError` naming the line on bad JSON: a hole would shift every pair after it.
 */
export function readTaskRecords(path: string, what: string): RecordLine[] {
  assertReadableFile(path, `${what} file`);
  const records: RecordLine[] = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((text, index) => {
      const line = index + 1;
      if (text.trim() === '') return;
      if (!text.trimStart().startsWith('{')) {
        records.push({ line, record: { program: text.trim() } });
        return;
      }
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new InputError(
          `${what} file ${path} line ${line} is not valid JSON: ${(error as Error).message}`,
          {
            file: path,
            line,
          },
        );
      }
      const id = record.id ?? record.task_id;
      records.push({ line, record, ...(id === undefined || id === null ? {} : { id: String(id) }) });
    });
  return records;
}

const PREDICTION_FIELDS = ['program', 'prediction', 'pred', 'completion', 'code', 'query', 'output'];

/**
 * The predicted programs of a prediction line: `programs` or `samples` (several), else one program
 * field (a verified line's chosen `program`), else a verify line's `candidates` (strings or
 * `{ program }`) as samples.
 */
export function predictedPrograms(entry: RecordLine, path: string): string[] {
  const { record } = entry;
  const list = (value: unknown): string[] | null => {
    if (!Array.isArray(value)) return null;
    const programs = value.map((item) =>
      typeof item === 'string' ? item : (item as { program?: unknown } | null)?.program,
    );
    return programs.every((program) => typeof program === 'string') ? (programs as string[]) : null;
  };
  const several = list(record.programs) ?? list(record.samples);
  if (several) return several;
  const field = PREDICTION_FIELDS.find((name) => typeof record[name] === 'string');
  if (field) return [record[field] as string];
  const candidates = list(record.candidates);
  if (candidates) return candidates;
  throw new InputError(
    `predictions file ${path} line ${entry.line} has no program (expected programs, samples, candidates or one of: ${PREDICTION_FIELDS.join(', ')})`,
    { file: path, line: entry.line },
  );
}

/**
 * Pair gold lines with their predictions: by id when every line of both files has one (several
 * prediction lines with one id are samples of one problem), else line by line.
 */
export function pairRecords(
  gold: readonly RecordLine[],
  predictions: readonly RecordLine[],
  path: string,
): [RecordLine, string[] | undefined][] {
  const byId =
    gold.every((entry) => entry.id !== undefined) && predictions.every((entry) => entry.id !== undefined);
  if (byId) {
    const samples = new Map<string, string[]>();
    for (const entry of predictions)
      samples.set(entry.id!, [...(samples.get(entry.id!) ?? []), ...predictedPrograms(entry, path)]);
    return gold.map((entry) => [entry, samples.get(entry.id!)]);
  }
  if (gold.length !== predictions.length) {
    throw new InputError(
      `gold has ${gold.length} lines and predictions ${predictions.length}: without an id (or task_id) on every line they are paired line by line, so the counts must match`,
    );
  }
  return gold.map((entry, position) => [entry, predictedPrograms(predictions[position]!, path)]);
}

/**
 * The question of a gold record as the task asks it: its demonstration reading of the record (MBPP:
 * the problem and its tests), else the benchmark's question field, else `question`.
 */
export function questionOf(task: TaskPlugin<never>, record: TaskRecord): string | undefined {
  const demonstration = task.generation?.demonstration?.(record);
  if (demonstration) return demonstration.question;
  const field = task.generation?.fields.question ?? 'question';
  const value = record[field] ?? record.question;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The question of every gold line, as {@link questionOf} reads it, for a model to answer (`evaluate
 * --train`, `--model`). A line with none is a one-line `InputError` naming it.
 */
export function goldQuestions(task: TaskPlugin<never>, gold: readonly RecordLine[], path: string): string[] {
  return gold.map((entry) => {
    const question = questionOf(task, entry.record);
    if (question === undefined) {
      throw new InputError(
        `gold file ${path} line ${entry.line} has no question for task ${task.id} (field ${JSON.stringify(task.generation?.fields.question ?? 'question')}): the model needs one to answer`,
        { file: path, line: entry.line },
      );
    }
    return question;
  });
}

import type { DatasetExample } from '../dataset/index.js';
import { questionWords } from '../dataset/index.js';
import type { Task } from '../tasks/spec.js';
import type { CurateFilterOptions } from './curate-options.js';

/** Why a filter dropped an example. */
export interface FilterVerdict {
  readonly reason: string;
  readonly detail: string;
}

const CODE_PATTERN = /\bselect\b[\s\S]*\bfrom\b|```|;\s*$|\bwhere\s+\w+\s*=\s*['"\d]/i;

/**
 * The language check: most letters must be Latin script (the questions are English) and the text
 * must not be code (a model sometimes writes the query where the question belongs).
 */
export function languageVerdict(question: string): FilterVerdict | undefined {
  const letters = question.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return { reason: 'language', detail: 'no letters' };
  const latin = question.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if (latin / letters.length < 0.9) {
    return {
      reason: 'language',
      detail: `${((100 * latin) / letters.length).toFixed(0)}% Latin letters (expected English)`,
    };
  }
  if (CODE_PATTERN.test(question)) return { reason: 'language', detail: 'the question looks like code' };
  return undefined;
}

/**
 * The cheap filters that need no execution, in order: confidence, question length, language,
 * program size and hardness. Returns the first that fails, or `undefined` when all pass.
 */
export function cheapFilterVerdict(
  example: DatasetExample,
  options: CurateFilterOptions,
  task: Pick<Task, 'features'> = {},
): FilterVerdict | undefined {
  if (example.confidence !== undefined && example.confidence < options.minConfidence) {
    return {
      reason: 'low-confidence',
      detail: `confidence ${example.confidence} < ${options.minConfidence}`,
    };
  }
  const words = questionWords(example.question).length;
  if (words < options.minWords) {
    return { reason: 'too-short', detail: `${words} words < ${options.minWords}` };
  }
  if (words > options.maxWords) {
    return { reason: 'too-long', detail: `${words} words > ${options.maxWords}` };
  }
  if (options.language === 'en') {
    const verdict = languageVerdict(example.question);
    if (verdict) return verdict;
  }
  if (example.program.trim() === '') return { reason: 'no-program', detail: 'empty program' };
  const tokens = programTokens(example.program);
  if (tokens > options.maxProgramTokens) {
    return { reason: 'too-complex', detail: `${tokens} program tokens > ${options.maxProgramTokens}` };
  }
  if (options.hardness) {
    const found = task.features?.(example.program).hardness;
    const hardness = typeof found === 'string' ? found : 'unknown';
    if (!(options.hardness as readonly string[]).includes(hardness)) {
      return { reason: 'hardness', detail: `hardness ${hardness} not in ${options.hardness.join(',')}` };
    }
  }
  return undefined;
}

/** The result-size filter, given the row count of the program's result. */
export function resultSizeVerdict(rows: number, options: CurateFilterOptions): FilterVerdict | undefined {
  if (rows < options.minResultRows) {
    return { reason: 'result-size', detail: `${rows} rows < ${options.minResultRows}` };
  }
  if (options.maxResultRows !== undefined && rows > options.maxResultRows) {
    return { reason: 'result-size', detail: `${rows} rows > ${options.maxResultRows}` };
  }
  return undefined;
}

/** Tokens of a program in any language: quoted strings, words and numbers, and each other symbol. */
export function programTokens(program: string): number {
  return (program.match(/'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[\w$]+|[^\s\w]/g) ?? []).length;
}

import { questionWords } from '../dataset/text.js';
import { InputError } from '../errors/index.js';
import { readJsonl } from '../io/index.js';

/** One test item of a benchmark, as decontamination compares it. */
export interface BenchmarkItem {
  readonly file: string;
  /** 1-based line in its file. */
  readonly line: number;
  /** The item's `id`, `task_id`, `question_id` or `line-<n>`. */
  readonly id: string;
  readonly question?: string;
  readonly program?: string;
}

/** Why an example matches a benchmark item. */
export interface ContaminationMatch {
  /**
   * `question-ngram`: the folded questions share an n-gram (n = `ngram`); `question-contained`: the
   * shorter text (fewer than n words, at least `minWords`) appears whole in the other;
   * `question-equal`: equal folded texts (any length); `program-equal`: equal task normal forms.
   */
  readonly kind: 'question-ngram' | 'question-contained' | 'question-equal' | 'program-equal';
  readonly file: string;
  readonly line: number;
  readonly id: string;
  /** The words or normal form the two share. */
  readonly shared: string;
}

/** Settings of decontamination. */
export interface DecontaminationOptions {
  /** Words per n-gram. @default 13 (GPT-3's contamination check) */
  readonly ngram?: number;
  /** Shortest text (in words) compared whole when it is shorter than an n-gram. @default 8 */
  readonly minWords?: number;
  /** The task's normal form of a program (`task.normalise`). */
  readonly normalise: (program: string) => string;
}

const QUESTION_FIELDS = ['question', 'text', 'nl', 'utterance', 'prompt', 'problem', 'source'] as const;
const PROGRAM_FIELDS = [
  'program',
  'query',
  'sql',
  'code',
  'bash',
  'cmd',
  'canonical_solution',
  'logical_form',
] as const;
const ID_FIELDS = ['id', 'task_id', 'question_id', 'qid'] as const;

/**
 * An index of benchmark test items that tells whether a generated example copies one: its question
 * overlaps an item's text (n-gram overlap on folded text: lower case, punctuation and spacing
 * removed; n = 13 as in GPT-3's check, and texts shorter than that compared whole, down to
 * `minWords`), or its program equals an item's program in the task's normal form.
 */
export class ContaminationIndex {
  readonly ngram: number;
  readonly minWords: number;
  private readonly normalise: (program: string) => string;
  private readonly items: BenchmarkItem[] = [];
  /** n-grams of items with at least n words. */
  private readonly grams = new Map<string, number>();
  /** Whole folded texts of items: equal questions of any length. */
  private readonly whole = new Map<string, number>();
  /** Items shorter than n words (at least minWords), by length: found whole inside longer questions. */
  private readonly shortLengths = new Set<number>();
  /** k-grams (minWords <= k < n) of every item: a short question found whole inside an item. */
  private readonly parts = new Map<string, number>();
  private readonly programs = new Map<string, number>();

  constructor(options: DecontaminationOptions) {
    this.ngram = options.ngram ?? 13;
    this.minWords = Math.min(options.minWords ?? 8, this.ngram);
    this.normalise = options.normalise;
  }

  /** Number of items indexed. */
  get size(): number {
    return this.items.length;
  }

  add(item: BenchmarkItem): void {
    const index = this.items.push(item) - 1;
    if (item.question) {
      const words = questionWords(item.question);
      const text = words.join(' ');
      if (text && !this.whole.has(text)) this.whole.set(text, index);
      if (words.length >= this.ngram) {
        for (const gram of kGrams(words, this.ngram)) if (!this.grams.has(gram)) this.grams.set(gram, index);
      } else if (words.length >= this.minWords) {
        this.shortLengths.add(words.length);
      }
      for (let k = this.minWords; k < this.ngram && k <= words.length; k++) {
        for (const gram of kGrams(words, k)) if (!this.parts.has(gram)) this.parts.set(gram, index);
      }
    }
    if (item.program) {
      const form = this.normalise(item.program);
      if (form && !this.programs.has(form)) this.programs.set(form, index);
    }
  }

  /** The first benchmark item the example copies, or undefined. */
  match(question: string, program: string | undefined): ContaminationMatch | undefined {
    const words = questionWords(question);
    const text = words.join(' ');
    const found = (kind: ContaminationMatch['kind'], index: number, shared: string): ContaminationMatch => {
      const item = this.items[index]!;
      return { kind, file: item.file, line: item.line, id: item.id, shared };
    };
    if (text) {
      const equal = this.whole.get(text);
      if (equal !== undefined) return found('question-equal', equal, text);
    }
    if (words.length >= this.ngram) {
      for (const gram of kGrams(words, this.ngram)) {
        const index = this.grams.get(gram);
        if (index !== undefined) return found('question-ngram', index, gram);
      }
    }
    // an item shorter than n words found whole inside the question
    for (const length of this.shortLengths) {
      if (length > words.length) continue;
      for (const gram of kGrams(words, length)) {
        const index = this.whole.get(gram);
        if (index !== undefined) return found('question-contained', index, gram);
      }
    }
    // a question shorter than n words found whole inside an item
    if (words.length >= this.minWords && words.length < this.ngram) {
      const index = this.parts.get(text);
      if (index !== undefined) return found('question-contained', index, text);
    }
    if (program) {
      const form = this.normalise(program);
      const index = form ? this.programs.get(form) : undefined;
      if (index !== undefined)
        return found('program-equal', index, form.length > 120 ? `${form.slice(0, 117)}...` : form);
    }
    return undefined;
  }
}

function* kGrams(words: readonly string[], k: number): Generator<string> {
  for (let start = 0; start + k <= words.length; start++) yield words.slice(start, start + k).join(' ');
}

/**
 * Reads benchmark test files (JSONL; any of the usual field names: `question`/`text`/`nl`/`prompt`
 * and `program`/`query`/`code`/`bash`/`canonical_solution`) into an index. Lines that are not JSON
 * objects, or hold neither a question nor a program, are skipped and counted; a file with no item
 * at all is an error.
 */
export async function readBenchmarks(
  files: readonly string[],
  options: DecontaminationOptions,
): Promise<{ index: ContaminationIndex; skipped: number }> {
  const index = new ContaminationIndex(options);
  let skipped = 0;
  for (const file of files) {
    let items = 0;
    for await (const entry of readJsonl(file)) {
      const value = entry.value as Record<string, unknown> | undefined;
      if (entry.error !== undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
        skipped++;
        continue;
      }
      const question = first(value, QUESTION_FIELDS);
      const program = first(value, PROGRAM_FIELDS);
      if (question === undefined && program === undefined) {
        skipped++;
        continue;
      }
      const idField = ID_FIELDS.find(
        (name) => typeof value[name] === 'string' || typeof value[name] === 'number',
      );
      index.add({
        file,
        line: entry.line,
        id: idField ? String(value[idField]) : `line-${entry.line}`,
        ...(question === undefined ? {} : { question }),
        ...(program === undefined ? {} : { program }),
      });
      items++;
    }
    if (items === 0) {
      throw new InputError(
        `${file} holds no benchmark items (expected JSONL lines with a question field such as "question" or "text", or a program field such as "code" or "query")`,
        { file },
      );
    }
  }
  return { index, skipped };
}

function first(value: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names)
    if (typeof value[name] === 'string' && (value[name] as string).trim()) return value[name] as string;
  return undefined;
}

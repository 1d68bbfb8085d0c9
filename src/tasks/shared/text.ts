import type { GeneratedQuestion, TaskKnowledge } from '../spec.js';

/**
 * The question in a `gen_q` sample, as most tasks write one: the first non-empty line, without a
 * `Question:` / `Natural Language:` / `-- Question:` prefix, list numbering or surrounding quotes.
 * Null when nothing is left.
 */
export function firstLineQuestion(text: string): GeneratedQuestion | null {
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (!line || /^```/.test(line)) continue;
    line = line
      .replace(/^(--\s*)?(question|q|natural language|request|problem)\s*[:.]\s*/i, '')
      .replace(/^(\d+[.)]|[-*•])\s+/, '')
      .trim();
    // quotes around the whole question go; a quoted name at its end stays
    if (/^["'“”`]/.test(line)) line = line.replace(/^["'“”`]+|["'“”`]+$/g, '').trim();
    if (!line) continue;
    return { question: line };
  }
  return null;
}

/** The string fields of a record under `names`, the first present one. */
export function stringField(
  record: Readonly<Record<string, unknown>>,
  ...names: string[]
): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

/** Lower case, punctuation to spaces, one space between words: the form questions and values are compared in. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Knowledge that is the same text for every prompt of a stage (or none). */
export function fixedKnowledge(text: { genQ?: string; genA?: string }): TaskKnowledge {
  return {
    view: ({ record }) => ({ text: (record ? text.genA : text.genQ) ?? '' }),
  };
}

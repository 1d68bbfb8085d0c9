/**
 * The QDMR task (Break, Wolfson et al. 2020): a question to its decomposition into numbered steps,
 * written `return the toilet ;return year invented of #1 ;return who invented #1 ;return #2 , #3`.
 * - Input: model text holding a decomposition (one line with `;`, or numbered lines, fenced or not).
 * - Output: the steps, validated (no empty step, every `#k` names an earlier step).
 * - Equal: two decompositions are equal when their normal forms are: lowercase, whitespace and
 *   commas settled, steps renumbered canonically (so the order of independent steps does not
 *   matter). There is no runtime: agreement is on the normal form.
 * - Evaluate: exact match of the written string and of the normal form.
 */

import type { TaskPlugin } from '../spec.js';
import { createStructuralExecutor } from '../structural-executor.js';
import { qdmrGeneration } from './generation.js';
import { parseQdmr, printQdmr, renumberQdmr } from './parse-qdmr.js';

export { parseQdmr, printQdmr, type QdmrParse, type QdmrStep, renumberQdmr } from './parse-qdmr.js';

const NUMBERED = /^\s*(?:#?\d+\s*[.:)=-]|step\s*\d+\s*[.:)-])\s*/i;

/**
 * Pull a decomposition out of model text: numbered lines (`1. return ...`, `#2: ...`) are joined
 * with ` ;`; otherwise the first line that starts with `return`.
 */
export function extractQdmr(text: string): string | null {
  const lines = text
    .replace(/```[a-z]*/gi, '\n')
    .split('\n')
    .map((line) => line.trim());
  const numbered = lines.filter((line) => NUMBERED.test(line));
  if (
    numbered.length > 0 &&
    numbered.some((line) => /^\s*\S+\s*return\b/i.test(line.replace(NUMBERED, 'x ')))
  ) {
    return numbered
      .map((line) => `return ${line.replace(NUMBERED, '').replace(/^return\s+/i, '')}`)
      .join(' ;');
  }
  const line = lines.find((candidate) => /^return\b/i.test(candidate));
  return line === undefined ? null : line;
}

/** The normal form: canonical step text and numbering; text that does not parse is only trimmed. */
export function normaliseQdmr(program: string): string {
  const parsed = parseQdmr(program);
  return parsed.ok ? printQdmr(renumberQdmr(parsed.steps)) : program.replace(/\s+/g, ' ').trim();
}

/** The QDMR task plugin. */
export const qdmrTask: TaskPlugin<Record<string, never>> = {
  id: 'qdmr',
  description: 'question decompositions in QDMR (Break): numbered steps with #k references',
  extract: extractQdmr,
  normalise: normaliseQdmr,
  createExecutor: () =>
    createStructuralExecutor((program) => {
      const parsed = parseQdmr(program);
      if (!parsed.ok) return parsed;
      return { ok: true, key: printQdmr(renumberQdmr(parsed.steps)), size: parsed.steps.length };
    }),
  features(program) {
    const parsed = parseQdmr(program);
    if (!parsed.ok) return { valid: false };
    return {
      valid: true,
      steps: parsed.steps.length,
      references: parsed.steps.reduce((sum, step) => sum + step.refs.length, 0),
      operators: parsed.steps.map((step) => qdmrOperator(step.text)),
    };
  },
  ...qdmrGeneration,
  reference(record) {
    const program = record.decomposition ?? record.program;
    return typeof program === 'string' ? { program } : null;
  },
};

/** A coarse QDMR operator of a step (Break's operators, told apart by their usual wording). */
export function qdmrOperator(text: string): string {
  if (/^(number of|the number of)\b/.test(text)) return 'aggregate';
  if (/^(if|is|are|was|were|does|do|did)\b/.test(text)) return 'boolean';
  if (/\b(highest|lowest|largest|smallest|most|least|max|min)\b/.test(text) && /#\d/.test(text))
    return 'superlative';
  if (/^(sum|difference|the sum|the difference)\b/.test(text)) return 'arithmetic';
  if (/^#\d+\s*(,|and|or)\s*#\d+$/.test(text)) return 'union';
  if (/#\d+ (where|that|which|with)\b/.test(text)) return 'filter';
  if (/#\d/.test(text)) return 'project';
  return 'select';
}

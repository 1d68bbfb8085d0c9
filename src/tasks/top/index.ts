/**
 * The TOP task (MTOP, Li et al. 2021; TOP, Gupta et al. 2018): an utterance to a tree of intents
 * and slots in bracket notation, `[IN:CREATE_CALL [SL:CONTACT Nicholas ] ]`.
 * - Input: model text holding a tree (fenced, after prose, or bare).
 * - Output: the tree, validated (balanced brackets, `IN:`/`SL:` labels, intents under slots only,
 *   optionally labels from a known inventory).
 * - Equal: two trees are equal when their normal forms are: whitespace canonical, the slots of each
 *   intent as a set (sorted), words kept as written. There is no runtime: agreement is on the normal form.
 * - Evaluate: exact match of the canonical string (the MTOP metric) and of the normal form.
 */

import type { TaskPlugin } from '../spec.js';
import { createStructuralExecutor } from '../structural-executor.js';
import { topGeneration } from './generation.js';
import { parseTop, printTop, type TopNode, topDepth, topLabels } from './parse-top.js';

export { topInventory } from './generation.js';
export {
  parseTop,
  printTop,
  type TopNode,
  type TopParse,
  tokenizeTop,
  topDepth,
  topLabels,
} from './parse-top.js';

/** Options of the TOP executor. */
export interface TopTaskOptions {
  /** Known labels (`IN:GET_WEATHER`, `SL:LOCATION`): a tree using any other is invalid. */
  readonly labels?: Iterable<string>;
}

/**
 * Pull a TOP tree out of model text: from the outermost bracket around the first `[IN:` to its
 * matching `]` (or to the end). A tree whose root is not an intent (`[SEND_MESSAGE [SL:X [IN:Y ..] ] ]`,
 * `[SL:X [IN:Y ..] ]`) is kept whole, so validation refuses it, never cut down to the nested intent.
 */
export function extractTop(text: string): string | null {
  const first = text.search(/\[\s*IN:/);
  if (first < 0) return null;
  const start = treeStart(text, first);
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '[') depth++;
    else if (char === ']' && --depth === 0)
      return text
        .slice(start, index + 1)
        .replace(/\s+/g, ' ')
        .trim();
  }
  // Unbalanced: keep it, so validation reports why instead of the example losing a candidate silently.
  return text
    .slice(start)
    .split(/\n\s*\n|```/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Where the tree holding the `[` at `first` begins: the outermost bracket still open there, counted
 * from the last paragraph break or code fence before it (prose before the tree may hold brackets of
 * its own, closed or not).
 */
const ENCLOSING_LABEL = /^\[\s*(?:[A-Za-z]+:[A-Za-z0-9_]+|[A-Z][A-Z0-9_]*)(?=[\s[\]])/;

function treeStart(text: string, first: number): number {
  const breaks = [...text.slice(0, first).matchAll(/\n\s*\n|```/g)];
  const last = breaks.at(-1);
  const from = last ? last.index + last[0].length : 0;
  const open: number[] = [];
  for (let index = from; index < first; index++) {
    const char = text[index];
    if (char === '[') open.push(index);
    else if (char === ']') open.pop();
  }
  // An enclosing bracket counts when a label follows it (`[SEND_MESSAGE`, `[SL:X`, `[in:x`), not a word of prose.
  const outer = open.find((index) => ENCLOSING_LABEL.test(text.slice(index, index + 80)));
  return outer ?? first;
}

/** The canonical string (MTOP's spacing) of a tree, or the text with whitespace collapsed if it does not parse. */
export function canonicalTop(program: string): string {
  const parsed = parseTop(program);
  return parsed.ok ? printTop(parsed.tree) : program.replace(/\s+/g, ' ').trim();
}

/** The normal form: canonical spacing, slots of each intent sorted. */
export function normaliseTop(program: string): string {
  const parsed = parseTop(program);
  return parsed.ok ? printTop(parsed.tree, true) : program.replace(/\s+/g, ' ').trim();
}

/** The TOP task plugin. */
export const topTask: TaskPlugin<TopTaskOptions> = {
  id: 'top',
  description: 'task-oriented semantic parses in TOP bracket notation (MTOP)',
  extract: extractTop,
  normalise: normaliseTop,
  createExecutor(options = {}) {
    const known = options.labels ? new Set(options.labels) : undefined;
    return createStructuralExecutor((program) => {
      const parsed = parseTop(program);
      if (!parsed.ok) return parsed;
      const labels = topLabels(parsed.tree);
      const unknown = known ? labels.filter((label) => !known.has(label)) : [];
      if (unknown.length > 0) return { ok: false, error: `unknown labels: ${unknown.join(', ')}` };
      return { ok: true, key: printTop(parsed.tree, true), size: labels.length };
    });
  },
  features(program) {
    const parsed = parseTop(program);
    if (!parsed.ok) return { valid: false };
    return {
      valid: true,
      intent: parsed.tree.label,
      labels: topLabels(parsed.tree),
      depth: topDepth(parsed.tree),
      slots: topLabels(parsed.tree).filter((label) => label.startsWith('SL:')).length,
    };
  },
  describe(program) {
    const parsed = parseTop(program);
    return parsed.ok ? describeTop(parsed.tree) : 'not a TOP tree';
  },
  ...topGeneration,
  reference(record) {
    const program = record.logical_form ?? record.program;
    return typeof program === 'string' ? { program } : null;
  },
};

/** A tree in words: `CREATE_CALL with CONTACT "Nicholas", CONTACT "Natasha"` (a draft question). */
export function describeTop(tree: TopNode): string {
  const slots = tree.children.flatMap((child) => {
    if (typeof child === 'string' || child.kind !== 'slot') return [];
    const words = child.children.map((part) => (typeof part === 'string' ? part : `(${describeTop(part)})`));
    return [`${child.label} "${words.join(' ')}"`];
  });
  const name = tree.label.toLowerCase().replace(/_/g, ' ');
  return slots.length === 0 ? name : `${name} with ${slots.join(', ')}`;
}

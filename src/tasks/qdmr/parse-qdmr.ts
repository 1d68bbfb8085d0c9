/** A QDMR step: its text with references written `#k` (1-based, to earlier steps). */
export interface QdmrStep {
  readonly text: string;
  readonly refs: readonly number[];
}

export type QdmrParse =
  | { readonly ok: true; readonly steps: readonly QdmrStep[] }
  | { readonly ok: false; readonly error: string };

const REF = /#(\d+)/g;

/** Canonical text of one step: lowercase, single spaces, spaces around `#k` and commas settled. */
function cleanStep(text: string): string {
  return text
    .replace(/^\s*return\b/i, '')
    .toLowerCase()
    .replace(/\s*,\s*/g, ' , ')
    .replace(/#\s+(\d)/g, '#$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Parse a QDMR decomposition in Break's notation (`return the toilet ;return year invented of #1`).
 * Checks: at least one step, no empty step, every `#k` refers to an earlier step.
 */
export function parseQdmr(text: string): QdmrParse {
  const parts = text.split(';');
  const steps: QdmrStep[] = [];
  for (const [index, part] of parts.entries()) {
    const clean = cleanStep(part);
    if (clean === '') {
      return { ok: false, error: parts.length === 1 ? 'empty program' : `step ${index + 1} is empty` };
    }
    const refs = [...clean.matchAll(REF)].map((match) => Number(match[1]));
    const bad = refs.find((ref) => ref < 1 || ref > index);
    if (bad !== undefined) {
      return { ok: false, error: `step ${index + 1} refers to #${bad}, which is not an earlier step` };
    }
    steps.push({ text: clean, refs });
  }
  return { ok: true, steps };
}

/** Print steps in Break's notation. */
export function printQdmr(steps: readonly QdmrStep[]): string {
  return steps.map((step) => `return ${step.text}`).join(' ;');
}

/**
 * Renumber steps canonically: a depth-first walk from the last step (the answer) that visits the
 * references of each step in the order they are written, numbering a step after the steps it uses.
 * Two decompositions that differ only in the order of independent steps get the same numbering.
 * Steps the answer does not use are kept, in their written order, just before the answer.
 */
export function renumberQdmr(steps: readonly QdmrStep[]): QdmrStep[] {
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (index: number) => {
    if (seen.has(index)) return;
    seen.add(index);
    for (const ref of steps[index]!.refs) visit(ref - 1);
    order.push(index);
  };
  const last = steps.length - 1;
  if (last < 0) return [];
  seen.add(last);
  for (const ref of steps[last]!.refs) visit(ref - 1);
  for (let index = 0; index < last; index++) visit(index);
  order.push(last);
  const newNumber = new Map(order.map((oldIndex, position) => [oldIndex + 1, position + 1]));
  return order.map((oldIndex) => {
    const step = steps[oldIndex]!;
    const text = step.text.replace(REF, (_, ref: string) => `#${newNumber.get(Number(ref))}`);
    return { text, refs: step.refs.map((ref) => newNumber.get(ref)!) };
  });
}

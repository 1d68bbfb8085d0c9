/** A node of a TOP tree: an intent or slot with its children (words and nested nodes). */
export interface TopNode {
  readonly kind: 'intent' | 'slot';
  /** The label without its prefix, e.g. `CREATE_CALL`. */
  readonly label: string;
  readonly children: readonly (TopNode | string)[];
}

/** A parse: the tree, or why the text is not a well-formed TOP tree. */
export type TopParse =
  | { readonly ok: true; readonly tree: TopNode }
  | { readonly ok: false; readonly error: string };

const LABEL = /^(IN|SL):([A-Za-z0-9_]+)$/;

/** Split TOP text into `[LABEL`, `]` and word tokens (`[IN:X` may be glued to its bracket or spaced). */
export function tokenizeTop(text: string): string[] {
  return text
    .replace(/\[\s*/g, ' [')
    .replace(/\]/g, ' ] ')
    .split(/\s+/)
    .filter((token) => token.length > 0);
}

/**
 * Parse TOP notation (`[IN:GET_WEATHER [SL:LOCATION Paris ] ]`). Checks: brackets balance, every
 * bracket opens with an `IN:` or `SL:` label, the root is an intent, an intent's nested nodes are
 * slots, a slot is not empty, and nothing follows the root.
 */
export function parseTop(text: string): TopParse {
  const tokens = tokenizeTop(text);
  let position = 0;
  const fail = (error: string): TopParse => ({ ok: false, error });
  function node(): TopNode | string {
    const open = tokens[position++]!;
    const match = LABEL.exec(open.slice(1));
    if (!match) throw new Error(`expected a label like [IN:NAME or [SL:NAME, got ${JSON.stringify(open)}`);
    const kind = match[1] === 'IN' ? 'intent' : 'slot';
    const children: (TopNode | string)[] = [];
    for (;;) {
      const token = tokens[position];
      if (token === undefined) throw new Error(`unbalanced brackets: [${match[0]} is never closed`);
      if (token === ']') {
        position++;
        break;
      }
      if (token.startsWith('[')) {
        const child = node() as TopNode;
        if (kind === 'intent' && child.kind === 'intent') {
          throw new Error(
            `intent IN:${child.label} directly inside intent IN:${match[2]}; wrap it in a slot`,
          );
        }
        children.push(child);
      } else {
        position++;
        children.push(token);
      }
    }
    if (kind === 'slot' && children.length === 0) throw new Error(`slot SL:${match[2]} is empty`);
    return { kind, label: match[2]!.toUpperCase(), children };
  }
  if (tokens.length === 0) return fail('empty program');
  if (tokens[0] === ']') return fail('unbalanced brackets: starts with ]');
  if (!tokens[0]!.startsWith('['))
    return fail(`expected [IN:... at the start, got ${JSON.stringify(tokens[0])}`);
  try {
    const tree = node() as TopNode;
    if (tree.kind !== 'intent') return fail(`the root must be an intent (IN:...), got SL:${tree.label}`);
    if (position < tokens.length)
      return fail(`unexpected ${JSON.stringify(tokens[position])} after the root's closing ]`);
    return { ok: true, tree };
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** Print a tree in MTOP's spacing: `[IN:X [SL:Y words ] ]`. With `sorted`, slot siblings are ordered. */
export function printTop(tree: TopNode, sorted = false): string {
  const children = tree.children.map((child) =>
    typeof child === 'string' ? child : printTop(child, sorted),
  );
  if (sorted && tree.kind === 'intent') {
    // Slots of one intent are a set: their order follows the words of the utterance, not the meaning.
    const words = tree.children.flatMap((child, index) =>
      typeof child === 'string' ? [children[index]!] : [],
    );
    const slots = tree.children.flatMap((child, index) =>
      typeof child === 'string' ? [] : [children[index]!],
    );
    return [`[IN:${tree.label}`, ...words, ...slots.sort(), ']'].join(' ');
  }
  return [`[${tree.kind === 'intent' ? 'IN' : 'SL'}:${tree.label}`, ...children, ']'].join(' ');
}

/** Intent and slot labels used in a tree, with `IN:`/`SL:` prefixes, in order of first use. */
export function topLabels(tree: TopNode): string[] {
  const labels = new Set<string>();
  const visit = (node: TopNode) => {
    labels.add(`${node.kind === 'intent' ? 'IN' : 'SL'}:${node.label}`);
    for (const child of node.children) if (typeof child !== 'string') visit(child);
  };
  visit(tree);
  return [...labels];
}

/** Depth of a tree: 1 for an intent with only words. */
export function topDepth(tree: TopNode): number {
  let deepest = 0;
  for (const child of tree.children)
    if (typeof child !== 'string') deepest = Math.max(deepest, topDepth(child));
  return deepest + 1;
}

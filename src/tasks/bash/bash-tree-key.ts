import { type ShNode, shSyntax } from './mvdan-sh.js';

/**
 * Commands whose single-letter flags take no argument in common use: for them `-la`, `-l -a` and
 * `-a -l` are the same call, so leading flags are split and sorted. Other commands keep their words
 * as written (`find -name x -type f` pairs flags with values; `tar -xzf` binds `f` to the next word).
 */
export const FLAG_SORTED_COMMANDS = new Set([
  'ls',
  'rm',
  'cp',
  'mv',
  'mkdir',
  'rmdir',
  'chmod',
  'chown',
  'wc',
  'du',
  'df',
  'uniq',
  'cat',
  'grep',
  'egrep',
  'fgrep',
  'ln',
  'touch',
  'ps',
  'sort',
  'diff',
  'file',
  'stat',
]);

const GLOB = /[*?[]|^~|\{[^}]*,[^}]*\}/;

type Sh = ReturnType<typeof shSyntax>;

/**
 * A canonical text of a Bash syntax tree, for agreement: quoting that does not change a word is
 * removed (`'a'`, `"a"` and `a` are one word, `\;` and `';'` too), unquoted words that expand (globs,
 * `~`, braces) are marked apart from quoted ones, leading flags of `FLAG_SORTED_COMMANDS` are split
 * and sorted, and layout and comments are ignored.
 */
export function bashTreeKey(tree: ShNode): string {
  const sh = shSyntax();
  const out: string[] = [];
  serialise(sh, tree, out);
  return out.join(' ');
}

function serialise(sh: Sh, node: ShNode, out: string[]): void {
  sh.Walk(node, (current) => {
    if (current === null) {
      out.push(')');
      return true;
    }
    const type = sh.NodeType(current);
    if (type === 'Word') {
      out.push(`${wordKey(sh, current)} (`);
      return false;
    }
    if (type === 'CallExpr') {
      out.push(`${callKey(sh, current)} (`);
      return false;
    }
    if (type === 'Comment') return false;
    const flags = [
      current.Op === undefined ? '' : `:${String(current.Op)}`,
      current.Negated === true ? '!' : '',
      current.Background === true ? '&' : '',
      type === 'Lit' || type === 'SglQuoted' ? `=${JSON.stringify(current.Value)}` : '',
    ].join('');
    out.push(`${type}${flags}(`);
    return true;
  });
}

/** A word: `w"text"` when it is plain text however quoted, `g"text"` when unquoted and expanding, else its tree. */
function wordKey(sh: Sh, word: ShNode): string {
  const literal = literalText(sh, (word.Parts as ShNode[]) ?? []);
  if (literal !== null) return `${literal.expands ? 'g' : 'w'}${JSON.stringify(literal.text)}`;
  const parts: string[] = [];
  for (const part of (word.Parts as ShNode[]) ?? []) {
    const text = literalText(sh, [part]);
    if (text !== null && !text.expands) parts.push(`w${JSON.stringify(text.text)}`);
    else serialise(sh, part, parts);
  }
  return `Word[${parts.join(' ')}]`;
}

function literalText(sh: Sh, parts: readonly ShNode[]): { text: string; expands: boolean } | null {
  let text = '';
  let expands = false;
  for (const part of parts) {
    const type = sh.NodeType(part);
    if (type === 'Lit') {
      const raw = String(part.Value);
      const unescaped = raw.replace(/\\(.)/g, '\u0000');
      if (GLOB.test(unescaped)) expands = true;
      text += raw.replace(/\\(.)/g, '$1');
    } else if (type === 'SglQuoted' && part.Dollar !== true) {
      text += String(part.Value);
    } else if (type === 'DblQuoted' && part.Dollar !== true) {
      const inner = literalText(sh, (part.Parts as ShNode[]) ?? []);
      if (inner === null) return null;
      text += inner.text;
    } else {
      return null;
    }
  }
  return { text, expands };
}

function callKey(sh: Sh, call: ShNode): string {
  const assigns: string[] = [];
  for (const assign of (call.Assigns as ShNode[]) ?? []) serialise(sh, assign, assigns);
  const words = ((call.Args as ShNode[]) ?? []).map((word) => wordKey(sh, word));
  const command = words[0]?.startsWith('w"') ? (JSON.parse(words[0].slice(1)) as string) : '';
  if (FLAG_SORTED_COMMANDS.has(command.split('/').pop()!)) {
    const flags: string[] = [];
    let index = 1;
    for (; index < words.length; index++) {
      const word = words[index]!;
      const text = word.startsWith('w"') ? (JSON.parse(word.slice(1)) as string) : '';
      if (/^-[A-Za-z]+$/.test(text)) for (const letter of text.slice(1)) flags.push(`w"-${letter}"`);
      else if (/^--[a-z][\w-]*$/.test(text)) flags.push(word);
      else break;
    }
    words.splice(1, index - 1, ...[...new Set(flags)].sort());
  }
  return `Call[${assigns.join(' ')}|${words.join(' ')}]`;
}

/** The command names a tree calls (NL2Bash's utilities), in order of first use. */
export function bashCommands(tree: ShNode): string[] {
  const sh = shSyntax();
  const names = new Set<string>();
  sh.Walk(tree, (node) => {
    if (node && sh.NodeType(node) === 'CallExpr') {
      const first = ((node.Args as ShNode[]) ?? [])[0];
      const literal = first ? literalText(sh, (first.Parts as ShNode[]) ?? []) : null;
      if (literal) names.add(literal.text);
    }
    return true;
  });
  return [...names];
}

/** Node counts by type, for structural features. */
export function bashNodeCounts(tree: ShNode): Record<string, number> {
  const sh = shSyntax();
  const counts: Record<string, number> = {};
  sh.Walk(tree, (node) => {
    if (node) counts[sh.NodeType(node)] = (counts[sh.NodeType(node)] ?? 0) + 1;
    return true;
  });
  return counts;
}

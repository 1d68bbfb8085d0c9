import { createRequire } from 'node:module';

/** The parts of mvdan/sh's syntax tree (GopherJS build, `mvdan-sh`) that symgen reads. */
export interface ShNode {
  readonly [field: string]: unknown;
}

interface ShSyntax {
  NewParser(...options: unknown[]): { Parse(text: string, name: string): ShNode };
  NewPrinter(...options: unknown[]): { Print(node: ShNode): string };
  NodeType(node: ShNode): string;
  Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
  Variant(language: unknown): unknown;
  LangBash: unknown;
}

let syntax: ShSyntax | undefined;
let parser: { Parse(text: string, name: string): ShNode } | undefined;
let printer: { Print(node: ShNode): string } | undefined;

/**
 * mvdan/sh's Bash parser and printer (the shfmt engine, compiled to JavaScript). Loaded on first
 * use. Chosen over `sh-syntax` (the same engine in WebAssembly) because its tree reaches JavaScript
 * whole and parsing is synchronous; `sh-syntax`'s JSON tree leaves command nodes as bare positions.
 */
export function shSyntax(): ShSyntax {
  syntax ??= (createRequire(import.meta.url)('mvdan-sh') as { syntax: ShSyntax }).syntax;
  return syntax;
}

/** Parse Bash; throws with mvdan/sh's `line:column: message` on a syntax error. */
export function parseShell(text: string): ShNode {
  const sh = shSyntax();
  try {
    // One parser and printer for the process: making them costs more than a parse.
    parser ??= sh.NewParser(sh.Variant(sh.LangBash));
    return parser.Parse(text, '');
  } catch (error) {
    // GopherJS throws Go error values: the text comes from their Error() method.
    const goError = error as { Error?: () => string; message?: string };
    const message =
      typeof goError.Error === 'function' ? goError.Error() : (goError.message ?? String(error));
    throw new Error(message.replace(/^:/, ''));
  }
}

/** Print a tree in shfmt's canonical layout. */
export function printShell(tree: ShNode): string {
  printer ??= shSyntax().NewPrinter();
  return printer.Print(tree).trim();
}

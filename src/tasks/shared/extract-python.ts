const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
/**
 * A line at column 0 that starts a Python statement: definitions, imports, assignments, calls of
 * `print`, compound statements, `raise`, `del`, `pass`, `global`, `nonlocal`, `assert`, `return` and
 * module-level strings (three quotes, with or without a prefix). `raise` must be followed by an
 * exception or nothing, not by words of prose.
 */
const CODE_START =
  /^(?:def |async def |class |import |from \S+ import |@\w|[A-Za-z_][\w.]*\s*(?:=|\+=|-=|\*=|\/=)(?!=)|print\(|for |while |if |with |try:|return\b|assert |raise(?:\s*$|\s+[A-Za-z_][\w.]*\s*(?:\(|$|from\b))|del |pass\s*$|global |nonlocal |[rRbBuUfF]{0,2}(?:"""|'''))/;
const PROSE = /^[A-Z][a-z']+(?:\s+[A-Za-z'(),]+){2,}[^:=()[\]{}]*[.!?]?$/;

/**
 * Pull Python code out of model text: the first fenced block labelled `python`/`py` (or the first
 * unlabelled one), else the lines from the first one that starts a statement, up to a paragraph of
 * prose. Lines are read as Python's tokenizer reads them: a line inside a string literal (a
 * module-level triple-quoted string whose lines start at column 0), inside brackets or after a `\`
 * continuation is code, whatever it says; only a line where a new statement could start may end it.
 */
export function extractPython(text: string): string | null {
  const blocks = [...text.matchAll(FENCE)].map((match) => ({
    language: match[1]!.toLowerCase(),
    body: match[2]!,
  }));
  const fenced =
    blocks.find(
      (block) => block.language === 'python' || block.language === 'py' || block.language === 'python3',
    ) ?? blocks.find((block) => block.language === '');
  if (fenced) return trimCode(fenced.body);
  if (blocks.length > 0) return null;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => CODE_START.test(line));
  if (start < 0) return null;
  const kept: string[] = [];
  const lexer = new PythonLineLexer();
  for (const line of lines.slice(start)) {
    // Prose after the code ends it: a sentence at column 0, where a statement could start, that is no statement.
    if (lexer.atStatement && !/^\s/.test(line) && PROSE.test(line.trim()) && !CODE_START.test(line)) break;
    kept.push(line);
    lexer.read(line);
  }
  return trimCode(kept.join('\n'));
}

/**
 * Python's lexical state from line to line, as far as where a statement may start depends on it:
 * inside a triple-quoted string, inside brackets, or after a line that ends in a `\` continuation.
 */
export class PythonLineLexer {
  /** The open quotes when the last line ended inside a triple-quoted string. */
  private triple: string | undefined;
  private depth = 0;
  private continued = false;

  /** True when the next line begins a new logical line, where a statement may start. */
  get atStatement(): boolean {
    return this.triple === undefined && this.depth === 0 && !this.continued;
  }

  read(line: string): void {
    let quote = this.triple;
    this.continued = false;
    let index = 0;
    while (index < line.length) {
      const char = line[index]!;
      if (quote !== undefined) {
        if (char === '\\') index += 2;
        else if (line.startsWith(quote, index)) {
          index += quote.length;
          quote = undefined;
        } else index++;
        continue;
      }
      if (char === '#') break;
      if (char === '"' || char === "'") {
        quote = line.startsWith(char.repeat(3), index) ? char.repeat(3) : char;
        index += quote.length;
        continue;
      }
      if (char === '(' || char === '[' || char === '{') this.depth++;
      else if ((char === ')' || char === ']' || char === '}') && this.depth > 0) this.depth--;
      else if (char === '\\' && index === line.length - 1) this.continued = true;
      index++;
    }
    if (quote !== undefined && quote.length === 1) {
      // A string in one quote ends with its line, unless the line ends in a `\` continuation.
      this.continued = line.endsWith('\\');
      quote = undefined;
    }
    this.triple = quote;
  }
}

function trimCode(code: string): string | null {
  const trimmed = code
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
  return trimmed.trim() === '' ? null : trimmed;
}

/**
 * A cheap canonical text of Python code for dedup: `\n` line ends, tabs as four spaces, no trailing
 * spaces, no blank lines and no whole-line comments. Equal forms are the same program.
 */
export function normalisePython(program: string): string {
  return program
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\t/g, '    ').trimEnd())
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .join('\n');
}

/** Cheap structural features of Python code (no parser: counts of constructs by their keywords). */
export function pythonFeatures(program: string): Record<string, unknown> {
  const code = normalisePython(program);
  const count = (pattern: RegExp) => (code.match(pattern) ?? []).length;
  const functions = [...code.matchAll(/^def (\w+)/gm)].map((match) => match[1]!);
  return {
    lines: code === '' ? 0 : code.split('\n').length,
    functions,
    loops: count(/^\s*(?:for|while) /gm),
    comprehensions: count(/\[[^\]\n]* for [^\]\n]* in /g),
    branches: count(/^\s*(?:if|elif) /gm),
    imports: [...code.matchAll(/^(?:import|from) ([\w.]+)/gm)].map((match) => match[1]!),
    recursive: functions.some((name) =>
      new RegExp(`^def ${name}\\b[\\s\\S]*\\b${name}\\(`, 'm').test(code.replace(`def ${name}`, '')),
    ),
  };
}

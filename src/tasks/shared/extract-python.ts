const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const CODE_START =
  /^(?:def |async def |class |import |from \S+ import |@\w|[A-Za-z_][\w.]*\s*(?:=|\+=|-=|\*=|\/=)(?!=)|print\(|for |while |if |with |try:|return\b|assert )/;
const PROSE = /^[A-Z][a-z']+(?:\s+[A-Za-z'(),]+){2,}[^:=()[\]{}]*[.!?]?$/;

/**
 * Pull Python code out of model text: the first fenced block labelled `python`/`py` (or the first
 * unlabelled one), else the lines from the first one that looks like code, up to a paragraph of prose.
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
  for (const line of lines.slice(start)) {
    // Prose after the code ends it: a sentence at column 0 that is no Python statement.
    if (!/^\s/.test(line) && PROSE.test(line.trim()) && !CODE_START.test(line)) break;
    kept.push(line);
  }
  return trimCode(kept.join('\n'));
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

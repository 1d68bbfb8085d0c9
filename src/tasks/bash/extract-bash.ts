const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const SHELL_LANGUAGES = new Set(['', 'bash', 'sh', 'shell', 'console', 'zsh', 'shell-session']);
const PROSE = /^(?:[A-Z][a-z']*|[a-z']+)(?:\s+[A-Za-z',()]+){3,}[.!?:]?$/;

/** Drop prompts (`$ `) and comment lines from a script's lines, keeping the commands. */
function commands(lines: readonly string[]): string[] {
  return lines
    .map((line) => line.replace(/^\s*\$\s+/, '').trimEnd())
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

/**
 * Pull a Bash command out of model text: a fenced shell block (prompts and comment lines dropped),
 * else a line starting with `$ `, else an inline `` `command` `` in prose, else the first line
 * that is not a sentence of prose (text after `Command:`-style labels included).
 */
export function extractBash(text: string): string | null {
  const blocks = [...text.matchAll(FENCE)].filter((match) => SHELL_LANGUAGES.has(match[1]!.toLowerCase()));
  if (blocks.length > 0) {
    const lines = commands(blocks[0]![2]!.split('\n'));
    return lines.length > 0 ? lines.join('\n') : null;
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const prompted = lines.find((line) => /^\s*\$\s+\S/.test(line));
  if (prompted) return prompted.replace(/^\s*\$\s+/, '').trim();
  const inline = /`([^`\n]+)`/.exec(text);
  if (inline && lines.some((line) => PROSE.test(line.replace(/`[^`]*`/g, 'x').trim())))
    return inline[1]!.trim();
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const labelled = /^(?:command|bash|answer|shell)\s*:\s*(.+)$/i.exec(trimmed);
    if (labelled) return labelled[1]!.trim();
    if (!PROSE.test(trimmed)) return trimmed;
  }
  return null;
}

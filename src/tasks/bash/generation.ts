import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrompts } from '../shared/check-prompts.js';
import type { TaskExtras } from '../spec.js';

const MAX_LISTED = 60;

/** The fixture's files, one a line (`dir/`, `file (12 bytes)`), at most 60: what a command runs against. */
export function listFixture(root: string): string {
  const lines: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (lines.length >= MAX_LISTED) return;
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        lines.push(`${prefix}${name}/`);
        walk(path, `${prefix}${name}/`);
      } else lines.push(`${prefix}${name}${stat.isSymbolicLink() ? ' (link)' : ` (${stat.size} bytes)`}`);
    }
  };
  walk(root, '');
  return lines.join('\n');
}

/** The Bash task's generation parts (NL2Bash, after SymGen's `nl2bash.py` prompts). */
export const bashGeneration: Pick<TaskExtras, 'generation' | 'knowledge'> = {
  generation: {
    fields: { question: 'nl', program: 'bash' },
    prompts: {
      genQ: {
        system:
          'You write requests a person could make of a Linux shell. Answer with one request in plain English on one line, with no command.',
        user: `Translate the natural language description to bash commands.
{% if knowledge %}

The commands run in a directory holding:
{{ knowledge }}
{% endif %}

{% for demo in demonstrations %}
Natural Language: {{ demo.question }}
{% endfor %}
Natural Language:`,
      },
      genA: {
        system: 'You translate requests into Bash. Answer with one command line in a ```bash code block.',
        user: `Translate the natural language description to bash commands.
{% if knowledge %}

The commands run in a directory holding:
{{ knowledge }}
{% endif %}

{% for demo in demonstrations %}
Natural Language: {{ demo.question }}
Bash Commands: {{ demo.program }}

{% endfor %}
Natural Language: {{ question }}
Bash Commands:`,
      },
      ...checkPrompts('Bash command', 'bash'),
    },
  },
  /** The fixture's file tree when candidates are executed in it; else none. */
  knowledge({ executor }) {
    const fixture =
      executor.execute === true && typeof executor.fixture === 'string' ? executor.fixture : null;
    const text = fixture ? listFixture(fixture) : '';
    return { view: () => ({ text }) };
  },
};

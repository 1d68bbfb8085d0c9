import { checkPrompts } from '../shared/check-prompts.js';
import type { TaskExtras, TaskRecord } from '../spec.js';
import { parseTop, topLabels } from './parse-top.js';

/**
 * The intents and slots of the demonstrations, as SymGen's MTOP prompt lists its inventory
 * (`IN: GET_WEATHER, ... | SL: LOCATION, ...`), in order of first use.
 */
export function topInventory(demonstrations: readonly TaskRecord[]): string {
  const intents = new Set<string>();
  const slots = new Set<string>();
  for (const record of demonstrations) {
    const program = record.logical_form ?? record.program;
    if (typeof program !== 'string') continue;
    const parsed = parseTop(program);
    if (!parsed.ok) continue;
    for (const label of topLabels(parsed.tree))
      (label.startsWith('IN:') ? intents : slots).add(label.slice(3));
  }
  const lines: string[] = [];
  if (intents.size > 0) lines.push(`IN: ${[...intents].join(', ')}`);
  if (slots.size > 0) lines.push(`SL: ${[...slots].join(', ')}`);
  return lines.join('\n');
}

/** The TOP task's generation parts (MTOP, after SymGen's `mtop.py` prompts). */
export const topGeneration: Pick<TaskExtras, 'generation' | 'knowledge'> = {
  generation: {
    fields: { question: 'question', program: 'logical_form' },
    prompts: {
      genQ: {
        system:
          'You write requests a person could make of a voice assistant. Answer with one request on one line, with no logical form.',
        user: `{% if knowledge %}{{ knowledge }}

{% endif %}
Translate the natural language description to logical form with the above arguments.
{% for demo in demonstrations %}
Natural Language: {{ demo.question }}
{% endfor %}
Natural Language:`,
      },
      genA: {
        system:
          'You translate requests into TOP logical forms: [IN:INTENT words [SL:SLOT words ] ]. Answer with the logical form only.',
        user: `{% if knowledge %}{{ knowledge }}

{% endif %}
Translate the natural language description to logical form with the above arguments.
{% for demo in demonstrations %}
Natural Language: {{ demo.question }}
Logical Form: {{ demo.program }}
{% endfor %}
Natural Language: {{ question }}
Logical Form:`,
      },
      ...checkPrompts('TOP logical form', 'text'),
    },
  },
  /** The intent and slot inventory seen in the demonstrations, for both stages. */
  knowledge({ demonstrations }) {
    const text = topInventory(demonstrations);
    return { view: () => ({ text }) };
  },
};

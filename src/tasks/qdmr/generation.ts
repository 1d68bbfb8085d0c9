import { checkPrompts } from '../shared/check-prompts.js';
import type { TaskExtras } from '../spec.js';

/** The QDMR task's generation parts (Break, after SymGen's `break.py` prompts; no knowledge). */
export const qdmrGeneration: Pick<TaskExtras, 'generation'> = {
  generation: {
    fields: { question: 'question_text', program: 'decomposition' },
    prompts: {
      genQ: {
        system:
          'You write questions that need several steps to answer. Answer with one question on one line, with no decomposition.',
        user: `Break down a question into the requisite steps for computing its answer.

{% for demo in demonstrations %}
Question: {{ demo.question }}
{% endfor %}
Question:`,
      },
      genA: {
        system:
          'You break questions down into steps. Answer with the steps on one line, each starting with "return", separated by " ;", referring to an earlier step as #k.',
        user: `Break down a question into the requisite steps for computing its answer.

{% for demo in demonstrations %}
Question: {{ demo.question }}
Answer Steps: {{ demo.program }}

{% endfor %}
Question: {{ question }}
Answer Steps:`,
      },
      ...checkPrompts('QDMR decomposition', 'text'),
    },
  },
};

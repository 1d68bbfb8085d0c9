import { createRandom } from '../../random.js';
import { checkPrompts } from '../shared/check-prompts.js';
import { firstLineQuestion } from '../shared/text.js';
import type { SampledProgram, SampleRequest, TaskExtras } from '../spec.js';
import { goldAnswer } from './numeric.js';
import { programFromRationale } from './rationale-program.js';
import { describeMathProgram, sampleMathProgram } from './sample-program.js';

/** Programs-first math: seeded small programs of thought, each with its word problem drafted from it. */
export async function* sampleMath(request: SampleRequest): AsyncGenerator<SampledProgram> {
  const random = createRandom(request.seed);
  for (let index = 0; ; index++) {
    request.signal?.throwIfAborted();
    const program = sampleMathProgram(() => random.next());
    yield { id: `${request.source.id}-${index}`, program, question: describeMathProgram(program) };
  }
}

/** The math task's generation parts (GSM8K program-of-thought). */
export const mathGeneration: Pick<TaskExtras, 'generation' | 'knowledge' | 'sample' | 'describe'> = {
  generation: {
    fields: { question: 'question', program: 'answer' },
    prompts: {
      genQ: {
        system:
          'You write grade-school math word problems, as in the GSM8K benchmark. Answer with one problem on one line: a few sentences ending in a question whose answer is one number.',
        user: `{% for demo in demonstrations %}
Question: {{ demo.question }}
{% endfor %}
Write a new problem of the same kind.
Question:`,
      },
      genA: {
        system:
          'You solve math word problems by writing a Python program. Answer with the program only, in one ```python code block.',
        user: `{% for demo in demonstrations %}
Question: {{ demo.question }}
\`\`\`python
{{ demo.program }}
\`\`\`

{% endfor %}
{{ knowledge }}
Question: {{ question }}`,
      },
      ...checkPrompts('Python program', 'python'),
    },
    questionWords: { min: 5, max: 150 },
    /** A GSM8K line's rationale becomes a program (its calculator annotations, step by step). */
    demonstration(record) {
      const question = record.question;
      if (typeof question !== 'string') return null;
      const program =
        typeof record.program === 'string'
          ? record.program
          : typeof record.answer === 'string'
            ? programFromRationale(record.answer)
            : null;
      return program ? { question, program } : null;
    },
    question: (text) => {
      const found = firstLineQuestion(text);
      return found && /[a-z]/i.test(found.question) ? found : null;
    },
    /** GSM8K's `answer` ends with `#### N`: the winning group's number. */
    datasetFields: (line) => {
      const value = line.result?.preview;
      const number = typeof value === 'number' ? value : goldAnswer(`#### ${String(value ?? '')}`);
      return number === null || number === undefined ? {} : { answer: `#### ${number}` };
    },
  },
  knowledge: () => ({
    view: ({ record }) => ({
      text: record
        ? 'Write a Python program that computes the answer step by step and stores the final number in a variable named `answer`.'
        : '',
    }),
  }),
  sample: sampleMath,
  describe: describeMathProgram,
};

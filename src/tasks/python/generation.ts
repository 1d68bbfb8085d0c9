import { checkPrompts } from '../shared/check-prompts.js';
import { firstLineQuestion } from '../shared/text.js';
import type { GeneratedQuestion, TaskExtras, TaskRecord } from '../spec.js';
import { pythonEnvironment } from './python-environment.js';

const TESTS_MARKER = /your code should pass (?:these|the following) tests\s*:?/i;

/**
 * An MBPP-style question as a model writes it: the problem, then "Your code should pass these
 * tests:" and assert lines (fenced or bulleted, or bare asserts after the problem). The question
 * is written back in one canonical form (problem, marker, one assert a line), so parsing it again
 * gives the same answer. Without asserts, the question is the problem alone: its candidates then
 * agree on their outputs over the inputs they propose.
 */
export function parsePythonQuestion(text: string): GeneratedQuestion | null {
  const marker = TESTS_MARKER.exec(text);
  const lines = text.split('\n');
  const isAssert = (line: string) => /^assert\b/.test(line);
  const clean = (line: string) =>
    line
      .trim()
      .replace(/^(?:[-*•]|\d+[.)])\s+/, '')
      .replace(/^`+|`+$/g, '')
      .trim();
  const before = marker ? text.slice(0, marker.index) : text;
  const after = marker ? text.slice(marker.index + marker[0].length) : '';
  const tests = [...new Set((marker ? after.split('\n') : lines).map(clean).filter(isAssert))];
  const problemLines = before
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^```/.test(line) && !isAssert(clean(line)));
  const first = firstLineQuestion(problemLines.join(' '));
  if (!first) return null;
  const problem = first.question.replace(/\s+/g, ' ');
  if (tests.length === 0) return { question: problem, fields: { text: problem } };
  return {
    question: `${problem}\nYour code should pass these tests:\n${tests.join('\n')}`,
    fields: { text: problem, test_list: tests },
    words: problem,
  };
}

/** The function a question's tests call (`assert name(...)`), and how many arguments it takes there. */
export function signatureFromTests(tests: readonly string[]): { name: string; arity: number } | null {
  for (const test of tests) {
    const match = /^assert\s+(?:\w+\s*\(\s*)?(?:not\s+)?([A-Za-z_]\w*)\s*\(/.exec(test);
    if (
      !match ||
      ['set', 'sorted', 'list', 'tuple', 'abs', 'math', 'round', 'str', 'int', 'float'].includes(match[1]!)
    )
      continue;
    const start = test.indexOf('(', match.index + match[0].length - 1);
    let depth = 0;
    let arity = 0;
    let any = false;
    for (let index = start; index < test.length; index++) {
      const char = test[index]!;
      if (char === '"' || char === "'") {
        for (index++; index < test.length && test[index] !== char; index++) if (test[index] === '\\') index++;
        any = true;
      } else if ('([{'.includes(char)) {
        if (depth === 1) any = true;
        depth++;
      } else if (')]}'.includes(char)) {
        depth--;
        if (depth === 0) break;
      } else if (char === ',' && depth === 1) arity++;
      else if (depth === 1 && /\S/.test(char)) any = true;
    }
    return { name: match[1]!, arity: any ? arity + 1 : 0 };
  }
  return null;
}

/** What the problem gives a prompt: the function to write, from its tests or its entry point. */
function pythonKnowledgeText(record: TaskRecord): string {
  const { data } = pythonEnvironment(record);
  const signature = signatureFromTests(data.tests);
  if (signature)
    return `Write a Python function named ${signature.name} taking ${signature.arity} argument${signature.arity === 1 ? '' : 's'}.`;
  if (data.entryPoint) return `Write a Python function named ${data.entryPoint}.`;
  return data.inputs.length > 0
    ? `It will be called with these arguments:\n${data.inputs.map((input) => `(${input})`).join('\n')}`
    : 'Write one Python function, then three assert lines that test it on example inputs (assert f(...) == expected), so answers and tests can be checked against each other.';
}

/** The Python task's generation parts (MBPP). */
export const pythonGeneration: Pick<TaskExtras, 'generation' | 'knowledge'> = {
  generation: {
    fields: { question: 'text', program: 'code' },
    prompts: {
      genQ: {
        system:
          'You write short Python programming problems, as in the MBPP benchmark. Answer with one problem in one sentence, then the line "Your code should pass these tests:" and three assert lines that call the function.',
        user: `{% for demo in demonstrations %}
Problem: {{ demo.question }}

{% endfor %}
Write a new problem of the same kind.
Problem:`,
      },
      genA: {
        system:
          'You are an expert Python programmer. Answer with the code only, in one ```python code block.',
        user: `{% for demo in demonstrations %}
Problem: {{ demo.question }}
\`\`\`python
{{ demo.program }}
\`\`\`

{% endfor %}
{% if knowledge %}{{ knowledge }}
{% endif %}
Problem: {{ question }}`,
      },
      ...checkPrompts('Python function', 'python'),
    },
    questionWords: { min: 3, max: 60 },
    demonstration(record) {
      const text = typeof record.text === 'string' ? record.text : record.question;
      const code = typeof record.code === 'string' ? record.code : record.program;
      if (typeof text !== 'string' || typeof code !== 'string') return null;
      const tests = Array.isArray(record.test_list)
        ? record.test_list.filter((t) => typeof t === 'string')
        : [];
      const parsed = parsePythonQuestion(
        tests.length > 0 ? `${text}\nYour code should pass these tests:\n${tests.join('\n')}` : text,
      );
      return parsed ? { question: parsed.question, program: code } : null;
    },
    question: parsePythonQuestion,
    datasetFields: (line) => ({ code: line.program }),
  },
  knowledge: () => ({
    view: ({ record }) => ({ text: record ? pythonKnowledgeText(record) : '' }),
  }),
};

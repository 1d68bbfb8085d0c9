/**
 * A user-defined symgen task: regular expressions, verified on example strings.
 * - Input: a request in words and a few example strings (`{"id", "question", "strings": [...]}`).
 * - Output: a regular expression in Python `re` syntax, pulled out of model text.
 * - Equal: two expressions are equal when they accept exactly the same example strings
 *   (`re.fullmatch`), so `\d{5}` and `[0-9]{5}` agree and `\d+` does not.
 * - Evaluate: the gold line's `regex` is run on the same strings.
 *
 * Matching runs in symgen's bubblewrap sandbox (a Python worker pool), not in symgen's process:
 * a pattern with catastrophic backtracking is a `timeout` result, not a hung run.
 *
 * Load it with `symgen verify --task-module examples/regex-task/task.mjs ...`, and generate with it:
 * `symgen generate --task-module examples/regex-task/task.mjs --demos examples/regex-task/demos.jsonl ...`
 * (see README.md).
 */
import { openProcessSandbox, runPython } from 'symgen';

/** Pull a pattern out of model text: a fenced block, `/pattern/`, inline code, or a `regex:` line. */
function extract(text) {
  const fenced = /```[a-z]*\n([^\n]+)\n/.exec(text);
  if (fenced) return strip(fenced[1]);
  const labelled = /(?:regex|pattern|expression)\s*:\s*(\S.*)$/im.exec(text);
  if (labelled) return strip(labelled[1].replace(/^`(.*)`\.?$/, '$1'));
  const inline = /`([^`\n]+)`/.exec(text);
  if (inline) return strip(inline[1]);
  const slashed = /(^|\s)\/(.+)\/[gimsuy]*(\s|$)/.exec(text);
  if (slashed) return slashed[2];
  const line = text.trim();
  return line !== '' && !line.includes('\n') && !/\s/.test(line) ? line : null;
}

function strip(pattern) {
  const trimmed = pattern.trim();
  const slashed = /^\/(.*)\/[gimsuy]*$/.exec(trimmed);
  return slashed ? slashed[1] : trimmed.replace(/^\^(.*)\$$/, '$1');
}

/** The strings of an example, from its record. */
function environment(record) {
  const strings = Array.isArray(record.strings) ? record.strings.map(String) : [];
  return { id: String(record.id ?? ''), data: { strings } };
}

/** An executor over a lazily opened sandbox; `close` releases it. */
function createExecutor(options = {}) {
  let opening;
  const sandbox = () => {
    const wallMs = options.timeoutMs ?? 2000;
    opening ??= openProcessSandbox({
      size: options.workers ?? 2,
      limits: { wallMs, cpuSeconds: Math.max(1, Math.ceil(wallMs / 1000)) },
    });
    return opening;
  };
  return {
    async execute(program, env) {
      const started = performance.now();
      const strings = env.data?.strings ?? [];
      if (strings.length === 0) return { status: 'error', error: 'the example has no strings to test on', durationMs: 0 };
      const result = await runPython(await sandbox(), {
        code: `import re\npattern = re.compile(${JSON.stringify(program)})`,
        expression: `''.join('1' if pattern.fullmatch(s) else '0' for s in ${JSON.stringify(strings)})`,
      });
      const durationMs = performance.now() - started;
      if (result.status !== 'ok') return { status: result.status, error: result.error ?? result.status, durationMs };
      const accepted = strings.filter((_, index) => result.result[index] === '1');
      return { status: 'ok', key: result.result, size: accepted.length, preview: accepted.slice(0, 5), durationMs };
    },
    async close() {
      const pending = opening;
      opening = undefined;
      if (pending) await (await pending).close();
    },
  };
}

/** The task plugin: the same shape as symgen's built-in tasks (docs/tasks.md). */
export default {
  id: 'regex',
  description: 'regular expressions for requests in words, verified on example strings',
  extract,
  normalise: (program) => program.trim(),
  createExecutor,
  environment,
  features: (program) => ({
    length: program.length,
    groups: (program.match(/\((?!\?)/g) ?? []).length,
    classes: (program.match(/\\[dws]|\[[^\]]*\]/gi) ?? []).length,
    quantifiers: (program.match(/[*+?]|\{\d+(,\d*)?\}/g) ?? []).length,
  }),
  knowledge: () => ({
    view: ({ record }) => ({
      text: record
        ? `Write a Python regular expression that matches a whole string. It will be tested on: ${JSON.stringify(record.strings ?? [])}`
        : '',
    }),
  }),
  reference: (record) => (typeof record.regex === 'string' ? { program: record.regex } : null),
  generation: {
    // the demonstrations' own field names (demos.jsonl: {"question", "strings", "regex"})
    fields: { question: 'question', program: 'regex' },
    prompts: {
      genQ: {
        system:
          'You write requests for regular expressions. Answer with one request on one line, then a line "Strings:" followed by a JSON list of six example strings, some that should match and some that should not.',
        user: `{% for demo in demonstrations %}
Request: {{ demo.question }}
{% endfor %}
Request:`,
      },
      genA: {
        system: 'You write Python regular expressions. Answer with the expression only, in a ```regex block.',
        user: `{% for demo in demonstrations %}
Request: {{ demo.question }}
\`\`\`regex
{{ demo.program }}
\`\`\`

{% endfor %}
{{ knowledge }}
Request: {{ question }}`,
      },
    },
    demonstration: (record) =>
      typeof record.question === 'string' && typeof record.regex === 'string' && Array.isArray(record.strings)
        ? { question: writeQuestion(record.question, record.strings.map(String)), program: record.regex }
        : null,
    question: parseQuestion,
  },
};

/** A request and its strings, as one question: the request, then `Strings: [...]`. */
function writeQuestion(request, strings) {
  return `${request}\nStrings: ${JSON.stringify(strings)}`;
}

/**
 * The question in a model's text: its first line (without a `Request:` label), and the JSON list
 * after `Strings:`. A request without strings cannot be checked, so it is no question.
 */
function parseQuestion(text) {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const request = lines[0]?.replace(/^request\s*:\s*/i, '').trim();
  const listed = lines.find((line) => /^strings\s*:/i.test(line));
  if (!request || /^strings\s*:/i.test(request) || !listed) return null;
  let strings;
  try {
    strings = JSON.parse(listed.replace(/^strings\s*:\s*/i, ''));
  } catch {
    return null;
  }
  if (!Array.isArray(strings) || strings.length === 0) return null;
  strings = strings.map(String);
  return { question: writeQuestion(request, strings), fields: { strings }, words: request };
}

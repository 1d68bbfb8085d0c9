import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import type { TaskPlugin } from '../src/tasks/spec.js';
import { describeTaskContract } from '../src/testing/task-contract.js';

const example = join(import.meta.dirname, '..', 'examples', 'regex-task');
const folder = mkdtempSync(join(tmpdir(), 'symgen-regex-'));

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

// The module imports 'symgen' itself (dist/, built by `npm test` before vitest runs).
describe('examples/regex-task: a user-defined task module', () => {
  it('verifies regular expressions through symgen verify, containing a backtracking pattern', async () => {
    const out = join(folder, 'verified.jsonl');
    const code = await main([
      'verify',
      '--task-module',
      join(example, 'task.mjs'),
      '--in',
      join(example, 'candidates.jsonl'),
      '--out',
      out,
      '--min-votes',
      '2',
      '--timeout-ms',
      '1000',
      '--keep-candidates',
    ]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.id, line.status, line.program, line.votes])).toEqual([
      ['zip', 'accepted', '\\d{5}(-\\d{4})?', 3],
      ['hex', 'accepted', '#(?:[0-9A-Fa-f]{3}){1,2}', 2],
      ['date', 'accepted', '\\d{4}-\\d{2}-\\d{2}', 2],
      ['slow', 'accepted', 'a+', 2],
    ]);
    const slow = lines[3]!.candidates as { program: string; status: string }[];
    expect(slow.map((candidate) => candidate.status)).toEqual(['ok', 'timeout', 'timeout', 'ok']);
    expect((lines[0]!.verification as { task: string }).task).toBe('regex');

    const json = join(folder, 'metrics.json');
    expect(
      await main([
        'evaluate',
        '--task-module',
        join(example, 'task.mjs'),
        '--gold',
        join(example, 'gold.jsonl'),
        '--pred',
        out,
        '--json',
        json,
      ]),
    ).toBe(0);
    expect(stdout).toContain('task regex: 4 examples');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ count: 4, accuracy: 1, valid: 1 });
  });

  it('generates with a model through symgen generate --task-module, its questions carrying their strings', async () => {
    const { createLlmTestServer, createScriptedTaskModel, scriptedKind } = await import(
      '../src/testing/index.js'
    );
    const { default: task } = (await import(join(example, 'task.mjs'))) as {
      default: { generation: { question(text: string): { question: string } | null } };
    };
    // requests with strings as a model writes them, and the pattern their candidates agree on
    const items = [
      [
        'a time of day such as 09:30 or 23:59',
        ['09:30', '23:59', '9:30', '24:00', '12:3', 'ab:cd'],
        '([01]\\d|2[0-3]):[0-5]\\d',
      ],
      ['a lowercase word of letters only', ['hello', 'abc', 'Hello', 'abc1', '', 'x'], '[a-z]+'],
      ['an integer with an optional minus sign', ['0', '-12', '42', '1.5', '--1', '+3'], '-?\\d+'],
      ['a three-letter airport code in capitals', ['LAX', 'JFK', 'lax', 'LA', 'LAXX', 'L4X'], '[A-Z]{3}'],
      ['an even number of the letter a', ['', 'aa', 'aaaa', 'a', 'aaa', 'b'], '(aa)*'],
      ['a binary string', ['0', '1011', '', '102', 'b1', '11'], '[01]+'],
      [
        'a price in dollars such as $5 or $12.50',
        ['$5', '$12.50', '5', '$1.5', '$.50', '$100'],
        '\\$\\d+(\\.\\d{2})?',
      ],
      ['a hashtag: # then letters, digits or underscores', ['#go', '#a_1', 'go', '#', '# a', '#Ok'], '#\\w+'],
    ].map(([request, strings, regex]) => ({
      question: `Request: ${request}\nStrings: ${JSON.stringify(strings)}`,
      program: regex as string,
    }));
    const server = await createLlmTestServer({
      respond: createScriptedTaskModel({
        items,
        asked: (text) => task.generation.question(text)!.question,
        fence: 'regex',
      }),
    });
    try {
      const out = join(folder, 'generated');
      const code = await main([
        'generate',
        '--task-module',
        join(example, 'task.mjs'),
        '--demos',
        join(example, 'demos.jsonl'),
        '--count',
        '6',
        '--out',
        out,
        '--model',
        'scripted',
        '--base-url',
        server.baseURL,
        '--questions-per-prompt',
        '6',
        '--candidates',
        '6',
        '--min-votes',
        '3',
      ]);
      expect({ code, stderr }).toMatchObject({ code: 0 });
      const read = (file: string) =>
        readFileSync(join(out, file), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const accepted = read('dataset.jsonl');
      const rejected = read('rejected.jsonl');
      expect(accepted.length + rejected.length).toBe(6);
      expect(accepted.length).toBeGreaterThan(0);
      const gold = new Map(items.map((item) => [task.generation.question(item.question)!.question, item]));
      const agree = [...gold.keys()].filter(
        (question) => scriptedKind(gold.get(question)!.question) === 'agree',
      );
      const kept = new Set(accepted.map((line) => line.question));
      for (const question of agree)
        if (rejected.some((line) => line.question === question)) expect.fail(question);
      // (other requests' patterns may agree by accident: each matching none of a request's strings)
      for (const line of accepted.filter((line) => agree.includes(line.question as string))) {
        const item = gold.get(line.question as string)!;
        expect(line.program).toBe(item.program);
        expect(line.regex).toBe(item.program);
        expect(Array.isArray(line.strings)).toBe(true);
        expect(line.provenance).toMatchObject({ method: 'symgen', task: 'regex' });
      }
      expect(accepted.some((line) => agree.includes(line.question as string))).toBe(true);
      expect(rejected.length).toBeGreaterThan(0);
      expect(kept.size).toBe(accepted.length);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses a module that is not a task, naming what is missing', async () => {
    expect(
      await main(['verify', '--task-module', join(example, 'README.md'), '--in', 'x', '--out', 'y']),
    ).toBe(2);
    expect(stderr).toMatch(/^symgen verify: task module .*README\.md failed to load/);
    const notTask = join(folder, 'not-task.mjs');
    (await import('node:fs')).writeFileSync(notTask, 'export default { id: "Bad Id", extract() {} };\n');
    stderr = '';
    expect(await main(['verify', '--task-module', notTask, '--in', 'x', '--out', 'y'])).toBe(2);
    // Every issue on a line of its own, not the first and a count.
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^symgen verify: task module .*not-task\.mjs .*: id: expected a lowercase id/);
    expect(lines[1]).toMatch(/^symgen verify: task module .*: normalise: expected a function/);
    expect(lines[2]).toMatch(/^symgen verify: task module .*: createExecutor: expected a function/);
    expect(stderr).not.toContain('more)');
  });
});

// The example module passes the same contract suite as the built-in tasks.
const regexTask = (await import(join(example, 'task.mjs'))).default as TaskPlugin<{ workers: number }>;
describeTaskContract(
  regexTask,
  {
    options: { workers: 1 },
    environment: { id: 'zip', data: { strings: ['12345', '12345-6789', '1234', 'abcde'] } },
    extract: [
      { text: 'Use `\\d{5}(-\\d{4})?` here.', program: '\\d{5}(-\\d{4})?' },
      { text: 'Pattern: [0-9]{5}', program: '[0-9]{5}' },
      { text: '```regex\n^\\d{5}$\n```', program: '\\d{5}' },
    ],
    noProgram: ['I would write a regular expression for this.'],
    equalGroups: [
      ['\\d{5}', '[0-9]{5}', '\\d\\d\\d\\d\\d'],
      ['\\d{5}(-\\d{4})?', '[0-9]{5}(?:-[0-9]{4})?'],
      ['\\d+'],
    ],
    invalid: ['(\\d{5}', '[0-9'],
  },
  vitest,
);

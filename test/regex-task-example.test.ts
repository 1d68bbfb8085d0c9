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

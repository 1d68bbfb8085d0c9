import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { firstLineQuestion } from '../src/tasks/shared/text.js';
import { createLlmTestServer, createScriptedTaskModel, scriptedKind } from '../src/testing/index.js';
import { generateCases, storedQuestion } from './task-cases.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-generate-tasks-'));
// biome-ignore lint/suspicious/noExplicitAny: the test walks dataset lines of every task
type Line = Record<string, any>;
const readLines = (path: string): Line[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const OWN_FIELDS: Record<string, string[]> = {
  sql: ['query', 'db_id'],
  python: ['text', 'code', 'test_list'],
  math: ['answer'],
  bash: ['nl', 'bash'],
  top: ['logical_form'],
  qdmr: ['question_text', 'decomposition'],
};

// One run per task through the real OpenAI-compatible provider against the loopback server, scripted
// on the task's own benchmark slice (test/data): questions as a model writes them, candidates that
// agree on the gold program, scatter, or answer in prose.
describe.each(generateCases(folder, 40))('symgen generate --task $task.id, from flags alone', (entry) => {
  const { task } = entry;
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('accepts the questions whose candidates agree, each with its gold program, and rejects wrong and prose answers', async () => {
    // the gold programs, executed as candidates are: the accepted ones must give the same results
    const executor = task.createExecutor({ timeoutMs: 10_000 } as never);
    const sources = task.sources?.({ db: entry.flags[1] ?? '', executor: {} }) ?? [{ id: task.id }];
    const source = sources[0]!;
    const recordOf = (question: string): Record<string, unknown> => ({
      ...(task.generation?.question ?? firstLineQuestion)(question)?.fields,
      question,
    });
    const keyOf = async (program: string, record: Record<string, unknown>) => {
      const result = await executor.execute(program, task.environment?.(record, source) ?? source);
      return result.status === 'ok' ? result.key : undefined;
    };
    const gold = new Map<string, { program: string; key: string }>();
    try {
      for (const item of entry.items) {
        const question = storedQuestion(task, item.question);
        // a question asked twice in the benchmark (with other programs) would be ambiguous: the first only
        if (
          gold.has(question) ||
          entry.items.find((other) => storedQuestion(task, other.question) === question) !== item
        )
          continue;
        const record = recordOf(question);
        // a gold program the task's check flags (sql: a type trap) is rejected like any candidate
        if (task.check?.(item.program, task.environment?.(record, source) ?? source)) continue;
        const key = await keyOf(item.program, record);
        if (key !== undefined) gold.set(question, { program: item.program, key });
      }
      const items = entry.items.filter(
        (item) => gold.get(storedQuestion(task, item.question))?.program === item.program,
      );
      expect(items.length).toBeGreaterThanOrEqual(20);

      const server = await createLlmTestServer({
        respond: createScriptedTaskModel({
          items,
          asked: (question) => storedQuestion(task, question),
          fence: entry.fence,
        }),
      });
      servers.push(server);
      const out = join(folder, `run-${task.id}`);
      const code = await main([
        'generate',
        '--task',
        task.id,
        ...entry.flags,
        '--demos',
        entry.demos,
        '--count',
        '12',
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
        '--seed',
        '5',
      ]);
      expect(code, stderr).toBe(0);

      const accepted = readLines(join(out, 'dataset.jsonl'));
      const rejected = readLines(join(out, 'rejected.jsonl'));
      const all = [...accepted, ...rejected];
      expect(all).toHaveLength(12);
      expect(new Set(all.map((line) => line.id)).size).toBe(12);
      expect(accepted.length).toBeGreaterThan(0);
      expect(rejected.length).toBeGreaterThan(0);
      const kinds = all.map((line) => scriptedKind(itemOf(line.question)));
      function itemOf(question: string): string {
        return items.find((item) => storedQuestion(task, item.question) === question)!.question;
      }
      // every question the candidates agree on is accepted with a program that gives the gold result
      expect(accepted.length).toBe(kinds.filter((kind) => kind === 'agree').length);
      for (const line of accepted) {
        expect(scriptedKind(itemOf(line.question))).toBe('agree');
        expect(await keyOf(line.program, line)).toBe(gold.get(line.question)!.key);
        for (const field of OWN_FIELDS[task.id]!) expect(line, field).toHaveProperty(field);
        expect(line.provenance).toMatchObject({
          method: 'symgen',
          task: task.id,
          model: { modelId: 'scripted' },
          gen_q: { promptHash: expect.stringMatching(/^[0-9a-f]{16}$/) },
          gen_a: { candidates: 6, demonstrationIds: expect.any(Array) },
          seed: 5,
        });
        expect(line.verification).toMatchObject({ task: task.id, minVotes: 3 });
      }
      // wrong answers never win, and prose answers give no program
      for (const line of rejected) {
        const kind = scriptedKind(itemOf(line.question));
        expect(kind).not.toBe('agree');
        if (kind === 'prose') expect(line.reason).toBe('no-program');
        else expect(['below-min-votes', 'no-executable', 'tie']).toContain(line.reason);
      }
      const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
      expect(stats.run).toMatchObject({ task: task.id, mode: 'llm', complete: true });
      expect(stats.stages.gen_q.dropped['too-short']).toBeGreaterThan(0);
    } finally {
      await executor.close();
    }
  }, 120_000);
});

describe('symgen generate --task python: MBPP-style questions as a model writes them', () => {
  it('keeps the tests of a question written as MBPP prompts are, with no JSON around it', async () => {
    const lines = readLines(join(folder, 'run-python', 'dataset.jsonl'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.question).toContain('\nYour code should pass these tests:\nassert ');
      expect(line.test_list.length).toBeGreaterThan(0);
      expect(line.question.startsWith(line.text)).toBe(true);
    }
  });
});

describe('symgen generate without a model', () => {
  it('generates offline for math (its sampler), each program run for its answer', async () => {
    const out = join(folder, 'math-offline');
    expect(await main(['generate', '--task', 'math', '--count', '6', '--out', out, '--seed', '2'])).toBe(0);
    const lines = readLines(join(out, 'dataset.jsonl'));
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line).toMatchObject({
        status: 'accepted',
        provenance: { method: 'programs-first', task: 'math' },
      });
      expect(line.answer).toMatch(/^#### -?\d/);
      expect(line.question).toMatch(/How many/);
    }
  });

  it.each(['python', 'bash', 'top', 'qdmr'])(
    'stops for %s, which has no sampler, naming the model flags, leaving nothing behind',
    async (task) => {
      const out = join(folder, `no-model-${task}`);
      expect(await main(['generate', '--task', task, '--count', '4', '--out', out])).toBe(2);
      const message = stderr.trim();
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(`the ${task} task has no offline sampler`);
      expect(message).toContain('--model ID --base-url URL');
      expect(existsSync(out)).toBe(false);
    },
  );
});

describe('curate, report and export run the same code for every task', () => {
  it.each(['python', 'math', 'bash', 'top', 'qdmr'])('on the %s run', async (id) => {
    const run = join(folder, `run-${id}`);
    const dataset = readLines(join(run, 'dataset.jsonl'));
    const curated = join(run, 'curated.jsonl');
    expect(await main(['curate', '--task', id, '--in', join(run, 'dataset.jsonl'), '--out', curated])).toBe(
      0,
    );
    const kept = readLines(curated);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(dataset.length);
    for (const line of kept) expect(line.weight).toBeGreaterThan(0);
    // the report takes the run's task from run.sqlite
    expect(await main(['report', run, '--no-embeddings'])).toBe(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('<svg');
    const chat = join(run, 'chat.jsonl');
    expect(await main(['export', run, '--format', 'chat', '--out', chat])).toBe(0);
    const lines = readLines(chat);
    expect(lines.map((line) => line.messages[2].content)).toEqual(dataset.map((line) => line.program));
    expect(lines[0]!.messages[1].content).toContain(dataset[0]!.question);
  });
});

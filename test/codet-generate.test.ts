import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { pythonEnvironment, pythonTask } from '../src/tasks/python/index.js';
import { createLlmTestServer, type RecordedRequest } from '../src/testing/index.js';
import { candidateTexts, MIXES, mbppProblems } from './codet-mixes.js';
import { SHARED_DATA } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-codet-'));
const executor = pythonTask.createExecutor({ workers: 2, timeoutMs: 5000 });
afterAll(async () => {
  await executor.close();
  rmSync(folder, { recursive: true, force: true });
});
let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

// MBPP problems 11-16 written without their tests; the scripted model answers each with 10
// candidates: 4 correct ones and 6 of one wrong program (a majority), every one with its asserts.
const problems = mbppProblems()
  .filter((problem) => problem.taskId >= 11)
  .slice(0, 6);
const mix = MIXES['correct minority (4 correct, 6 wrong)'];

function respond(request: RecordedRequest) {
  if (request.path !== '/v1/chat/completions') return undefined;
  const body = request.body as { messages: { content: string }[]; n?: number; seed?: number };
  const n = body.n ?? 1;
  const seed = body.seed ?? 0;
  const user = body.messages[body.messages.length - 1]!.content;
  // gen_a: the problem asked last in the prompt; gen_q: anything else
  const asked = problems
    .map((problem) => ({ problem, at: user.lastIndexOf(`Problem: ${problem.text.trim()}`) }))
    .filter((entry) => entry.at >= 0)
    .sort((a, b) => b.at - a.at)[0]?.problem;
  const texts = Array.from({ length: n }, (_, index) => {
    if (!asked) return problems[(seed + index) % problems.length]!.text;
    const candidates = candidateTexts(asked, mix, 'asserts');
    return candidates[(seed + index) % candidates.length]!;
  });
  return {
    body: {
      object: 'chat.completion',
      model: 'scripted',
      choices: texts.map((text, index) => ({
        index,
        message: { role: 'assistant', content: text },
        finish_reason: 'stop',
        logprobs: null,
      })),
      usage: { prompt_tokens: 100, completion_tokens: 50 * n },
    },
  };
}

describe('symgen generate --task python without tests: CodeT against a scripted loopback model', () => {
  it('accepts the correct minority that passes the asserts, over a wrong majority', async () => {
    const demos = join(folder, 'demos.jsonl');
    writeFileSync(
      demos,
      readFileSync(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 10)
        .join('\n'),
    );
    const server = await createLlmTestServer({ respond });
    const out = join(folder, 'run');
    try {
      const code = await main([
        'generate',
        '--task',
        'python',
        '--demos',
        demos,
        '--count',
        '4',
        '--out',
        out,
        '--model',
        'scripted',
        '--base-url',
        server.baseURL,
        '--questions-per-prompt',
        '6',
        '--candidates',
        '10',
        '--min-votes',
        '2',
        '--seed',
        '3',
      ]);
      expect(code, stderr).toBe(0);
    } finally {
      await server.close();
    }
    const lines = readFileSync(join(out, 'dataset.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const problem = problems.find((entry) => line.question.startsWith(entry.text.trim()))!;
      expect(problem, line.question).toBeDefined();
      expect(line.test_list ?? []).toEqual([]);
      // the program chosen passes the real tests the question was written without
      const real = await executor.execute(line.program, pythonEnvironment({ test_list: [...problem.tests] }));
      expect(real.status, line.program).toBe('ok');
      expect(line.program).not.toContain('_gold_');
    }
  }, 180_000);
});

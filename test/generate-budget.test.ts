import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import {
  createLlmTestServer,
  createScriptedCandidateModel,
  type LlmTestServer,
  type ScriptedQuestion,
} from '../src/testing/index.js';
import { GEOGRAPHY_DB } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-budget-'));
let server: LlmTestServer;
const QUESTIONS: ScriptedQuestion[] = [
  'how many states are there',
  'how many cities are there',
  'how many rivers are there',
  'how many lakes are there',
  'how many mountains are there',
  'how many borders are there',
].map((question) => ({
  question,
  candidates: [
    {
      text: `SELECT count(*) FROM ${question.split(' ')[2]!.replace(/s$/, '').replace('citie', 'city').replace('border', 'border_info')}`,
      weight: 1,
    },
  ],
}));

beforeAll(async () => {
  server = await createLlmTestServer({ respond: createScriptedCandidateModel(QUESTIONS) });
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

function config(name: string): { file: string; out: string } {
  const out = join(folder, name);
  const file = join(folder, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'task: sql',
      'count: 6',
      'seed: 5',
      `knowledge: { db: ${JSON.stringify(GEOGRAPHY_DB)}, rows: 1 }`,
      'generation:',
      '  genQ: { n: 6 }',
      '  genA: { n: 10, logprobs: false }',
      '  promptsPerRound: 1',
      '  concurrency: 1',
      'verify: { minVotes: 3 }',
      `llm: { provider: { kind: openai-compatible, model: scripted, baseURL: ${JSON.stringify(server.baseURL)} }, prices: { scripted: { inputPerMillion: 1, outputPerMillion: 2 } } }`,
      `output: { dir: ${JSON.stringify(out)} }`,
    ].join('\n'),
  );
  return { file, out };
}

async function generate(args: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { code: await main(['generate', ...args]), stderr: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('symgen generate --max-cost', () => {
  it('stops cleanly at the budget, says so, and resumes with a larger one to the same dataset', async () => {
    const full = config('full');
    expect((await generate([full.file])).code).toBe(0);
    const fullStats = JSON.parse(readFileSync(join(full.out, 'stats.json'), 'utf8'));
    expect(fullStats.usage.perAccepted.costUsd).toBeGreaterThan(0);

    const budgeted = config('budgeted');
    const before = server.requests.length;
    const stopped = await generate([budgeted.file, '--max-cost', '0.008']);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/budget reached: \$0\.\d+ spent of --max-cost 0\.008.*--resume/);
    const stats = JSON.parse(readFileSync(join(budgeted.out, 'stats.json'), 'utf8'));
    expect(stats.usage.costUsd).toBeLessThanOrEqual(0.008);
    expect(stats.run.complete).toBe(false);
    const partial = readFileSync(join(budgeted.out, 'dataset.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(6);
    const sentBeforeStop = server.requests.length - before;

    // The same budget again sends nothing new; a larger one finishes the run.
    expect((await generate(['--resume', '--out', budgeted.out, '--max-cost', '0.008'])).code).toBe(3);
    expect(server.requests.length - before).toBe(sentBeforeStop);
    const resumed = await generate(['--resume', '--out', budgeted.out, '--max-cost', '1']);
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(budgeted.out, 'dataset.jsonl'), 'utf8')).toBe(
      readFileSync(join(full.out, 'dataset.jsonl'), 'utf8'),
    );
    const after = JSON.parse(readFileSync(join(budgeted.out, 'stats.json'), 'utf8'));
    expect(after.usage.requests).toBe(fullStats.usage.requests);
    expect(after.usage.costUsd).toBeCloseTo(fullStats.usage.costUsd, 6);
  });

  it('refuses --max-cost for a model without a price, and --max-tokens stops too', async () => {
    const run = config('tokens');
    const stopped = await generate([run.file, '--max-tokens', '3000']);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/tokens spent of --max-tokens 3000/);
    const noPrice = config('no-price');
    writeFileSync(noPrice.file, readFileSync(noPrice.file, 'utf8').replace(/, prices: \{[^}]*\} \}/, ''));
    const refused = await generate([noPrice.file, '--max-cost', '1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no price for model "scripted"/);
  });
});

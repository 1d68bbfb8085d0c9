/**
 * `symgen generate` and `symgen models check` against loopback servers answering as real ones do
 * (reply shapes and sources: src/llm/server-formats.test.ts). Cut-off samples, llama.cpp's `n`, and
 * request counts, end to end through the run directory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { createLlmTestServer, type LlmTestServer, type RecordedRequest } from '../src/testing/index.js';
import { createGeoQueryModel, geoQueryDev } from './geoquery-model.js';
import { GEOGRAPHY_DB } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-formats-'));
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { question: string; program: string; status: string });

function captureStderr(): { text: () => string; restore: () => void } {
  let written = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written += String(chunk);
    return true;
  });
  return { text: () => written, restore: () => spy.mockRestore() };
}

function writeConfig(name: string, baseURL: string, lines: string[] = []): { config: string; out: string } {
  const out = join(folder, name);
  const config = join(folder, `${name}.yaml`);
  writeFileSync(
    config,
    [
      'task: sql',
      'count: 6',
      'seed: 3',
      `knowledge: { db: ${JSON.stringify(GEOGRAPHY_DB)}, rows: 1 }`,
      'generation:',
      '  genQ: { n: 8 }',
      '  genA: { n: 6, maxTokens: 40 }',
      '  promptsPerRound: 2',
      '  conditions: { enabled: false }',
      'verify: { minVotes: 2 }',
      `llm: { provider: { kind: openai-compatible, model: m, baseURL: ${JSON.stringify(baseURL)} } }`,
      `output: { dir: ${JSON.stringify(out)}, formats: [] }`,
      ...lines,
    ].join('\n'),
  );
  return { config, out };
}

const gold = new Map(geoQueryDev().map((entry) => [entry.question, entry.query]));
const isGenA = (request: RecordedRequest) =>
  !((request.body as { messages: { content: string }[] }).messages[0]?.content ?? '').includes(
    'write questions',
  );

describe('symgen generate against servers as they answer', () => {
  let server: LlmTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('never lets samples cut off at the token limit vote, counts them, and names maxTokens to raise', async () => {
    const model = createGeoQueryModel();
    server = await createLlmTestServer({
      respond: (request) => {
        if (!isGenA(request)) return model(request);
        const body = request.body as { messages: { content: string }[]; n?: number };
        const asked =
          [...(body.messages.at(-1)?.content ?? '').matchAll(/^-- Question: (.*)$/gm)].pop()?.[1] ?? '';
        const query = gold.get(asked) ?? 'SELECT 1';
        // four of six samples run into max_tokens at the same place (so they agree with each other, and
        // the cut text executes: `WHERE city.population` is true for every city); two finish
        const n = body.n ?? 1;
        return {
          body: {
            id: 'chatcmpl-cut',
            object: 'chat.completion',
            created: 1,
            model: 'm',
            choices: Array.from({ length: n }, (_, index) => ({
              index,
              message: {
                role: 'assistant',
                content: index < 4 ? 'SELECT city.city_name FROM city WHERE city.population' : query,
                refusal: null,
              },
              finish_reason: index < 4 ? 'length' : 'stop',
              logprobs: null,
            })),
            usage: { prompt_tokens: 100, completion_tokens: 40 * n, total_tokens: 100 + 40 * n },
          },
        };
      },
    });
    const { config, out } = writeConfig('cut', server.baseURL);
    const stderr = captureStderr();
    try {
      expect(await main(['generate', config])).toBe(0);
    } finally {
      stderr.restore();
    }
    const accepted = readLines(join(out, 'dataset.jsonl'));
    expect(accepted.length).toBeGreaterThan(0);
    const db = new Database(GEOGRAPHY_DB, { readonly: true });
    const result = (sql: string) => JSON.stringify(db.prepare(sql).raw().all());
    for (const line of accepted) {
      expect(line.program).not.toContain('WHERE city.population');
      expect(result(line.program)).toBe(result(gold.get(line.question)!));
    }
    db.close();
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.usage.byStage.gen_a.truncated).toBe((stats.usage.byStage.gen_a.samples * 4) / 6);
    expect(stats.usage.truncated).toBe(stats.usage.byStage.gen_a.truncated);
    expect(stderr.text()).toMatch(
      /gen_a samples were cut off at the token limit \(maxTokens 40\).*raise generation\.genA\.maxTokens above 40/,
    );
    expect(stats.usage.requests).toBe(server.requests.length);
  });

  it('runs on a llama.cpp server that refuses n: one sample per request, said once, every request counted', async () => {
    const model = createGeoQueryModel();
    server = await createLlmTestServer({
      respond: (request) => {
        const n = (request.body as { n?: number }).n ?? 1;
        if (n !== 1) {
          return {
            status: 500,
            body: {
              error: { code: 500, message: 'Only one completion choice is allowed', type: 'server_error' },
            },
          };
        }
        return model(request);
      },
    });
    const { config, out } = writeConfig('llama-old', server.baseURL);
    const stderr = captureStderr();
    try {
      expect(await main(['generate', config])).toBe(0);
    } finally {
      stderr.restore();
    }
    expect(readLines(join(out, 'dataset.jsonl')).length).toBeGreaterThan(0);
    expect(stderr.text().match(/accepts one sample per request/g)).toHaveLength(1);
    expect(stderr.text()).not.toMatch(/pause/);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.usage.requests).toBe(server.requests.length);
    const seeds = server.requests
      .filter((request) => (request.body as { n?: number }).n === undefined)
      .map((request) => (request.body as { seed: number; messages: unknown }).seed);
    expect(seeds.length).toBeGreaterThan(6);
  });

  it('symgen models check says how many samples one request may ask for', async () => {
    server = await createLlmTestServer({
      respond: (request) => (request.path === '/props' ? { body: { total_slots: 4 } } : undefined),
    });
    let stdout = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    try {
      expect(await main(['models', 'check', '--base-url', server.baseURL, '--model', 'test-model'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(stdout).toContain('samples per request: at most 4');
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { createLlmTestServer, type LlmTestServer } from '../src/testing/index.js';
import { GEOGRAPHY_DB, GEOQUERY_DEV, GEOQUERY_TRAIN } from './shared-data.js';

const DEV = GEOQUERY_DEV;
const TRAIN = GEOQUERY_TRAIN;

let server: LlmTestServer;
let folder: string;
beforeAll(async () => {
  server = await createLlmTestServer();
  folder = mkdtempSync(join(tmpdir(), 'symgen-evaluate-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const firstLines = (file: string, count: number) =>
  readFileSync(file, 'utf8').trim().split('\n').slice(0, count);

describe('symgen evaluate (indirect)', () => {
  it('scores a model reached through the provider layer by execution accuracy', async () => {
    const gold = join(folder, 'gold.jsonl');
    const lines = firstLines(DEV, 3);
    writeFileSync(gold, `${lines.join('\n')}\n`);
    const queries = lines.map((line) => (JSON.parse(line) as { query: string }).query);
    const config = join(folder, 'model.json');
    writeFileSync(
      config,
      JSON.stringify({
        provider: { kind: 'openai-compatible', model: 'predictor', baseURL: server.baseURL },
        scheduler: { maxConcurrency: 1, initialConcurrency: 1 },
      }),
    );
    const answer = (content: string) => ({
      body: {
        object: 'chat.completion',
        model: 'predictor',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 300, completion_tokens: 20 },
      },
    });
    server.enqueue(
      answer(`\`\`\`sql\n${queries[0]}\n\`\`\``),
      answer('SELECT state.state_name FROM state'),
      answer(`Here it is:\n\`\`\`sql\n${queries[2]}\n\`\`\``),
    );
    const json = join(folder, 'model.json.out');
    const predictions = join(folder, 'predictions.jsonl');
    expect(
      await main([
        'evaluate',
        '--db',
        GEOGRAPHY_DB,
        '--gold',
        gold,
        '--model-config',
        config,
        '--pred-out',
        predictions,
        '--json',
        json,
      ]),
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(json, 'utf8')) as {
      overall: { count: number; execution: number };
      model: string;
    };
    expect(metrics.model).toBe('predictor');
    expect(metrics.overall.count).toBe(3);
    expect(metrics.overall.execution).toBeCloseTo(2 / 3, 10);
    expect(readFileSync(predictions, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain('CREATE TABLE');
  });

  it('trains the built-in model on a dataset and scores it on gold', async () => {
    const train = join(folder, 'train.jsonl');
    writeFileSync(train, `${firstLines(TRAIN, 20).join('\n')}\n`);
    const gold = join(folder, 'gold-small.jsonl');
    writeFileSync(gold, `${firstLines(DEV, 4).join('\n')}\n`);
    const json = join(folder, 'train.json.out');
    expect(
      await main([
        'evaluate',
        '--db',
        GEOGRAPHY_DB,
        '--gold',
        gold,
        '--train',
        train,
        '--epochs',
        '1',
        '--json',
        json,
      ]),
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(json, 'utf8')) as {
      overall: { count: number };
      training: { examples: number; epochs: number; backend: string };
      examples: { prediction: string | null }[];
    };
    expect(metrics.overall.count).toBe(4);
    expect(metrics.training).toMatchObject({ examples: 20, epochs: 1, backend: 'wasm' });
    // --seed sets the model's randomness: the same seed repeats the run, another changes it
    const lossWith = async (seed: string) => {
      const out = join(folder, `train-seed-${seed}.json`);
      const args = ['evaluate', '--db', GEOGRAPHY_DB, '--gold', gold, '--train', train, '--epochs', '1'];
      expect(await main([...args, '--seed', seed, '--json', out])).toBe(0);
      return (JSON.parse(readFileSync(out, 'utf8')) as { training: { finalLoss: number } }).training
        .finalLoss;
    };
    const first = (metrics.training as unknown as { finalLoss: number }).finalLoss;
    expect(await lossWith('1')).toBe(first);
    expect(await lossWith('2')).not.toBe(first);
    expect(
      await main(['evaluate', '--db', GEOGRAPHY_DB, '--gold', gold, '--train', train, '--seed', 'x']),
    ).toBe(2);
    expect(
      metrics.examples.every(
        (example) => typeof example.prediction === 'string' || example.prediction === null,
      ),
    ).toBe(true);
  }, 150_000);

  it('asks for a way to get predictions when none is given', async () => {
    expect(await main(['evaluate', '--db', GEOGRAPHY_DB, '--gold', DEV])).toBe(2);
    expect(await main(['evaluate', '--gold', DEV, '--pred', DEV])).toBe(2);
  });
});

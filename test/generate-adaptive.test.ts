import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import {
  createLlmTestServer,
  createScriptedCandidateModel,
  type LlmTestServer,
  type ScriptedQuestion,
} from '../src/testing/index.js';
import { GEOGRAPHY_DB } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-adaptive-'));
const servers: LlmTestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const QUESTIONS: ScriptedQuestion[] = [
  { question: 'how many states are there', candidates: [{ text: 'SELECT count(*) FROM state', weight: 1 }] },
  {
    question: 'what is the capital of texas',
    candidates: [
      { text: "SELECT capital FROM state WHERE state_name = 'texas'", weight: 8 },
      { text: "SELECT city_name FROM city WHERE state_name = 'texas'", weight: 2 },
    ],
  },
  {
    question: 'which rivers run through colorado',
    candidates: [
      { text: "SELECT river_name FROM river WHERE traverse = 'colorado'", weight: 5 },
      { text: 'SELECT river_name FROM river', weight: 5 },
    ],
  },
  {
    question: 'what is the largest city in the usa',
    candidates: [
      { text: 'SELECT city_name FROM city ORDER BY population DESC LIMIT 1', weight: 1 },
      { text: 'SELECT city_name FROM city ORDER BY population ASC LIMIT 1', weight: 1 },
      { text: 'SELECT state_name FROM state ORDER BY population DESC LIMIT 1', weight: 1 },
      { text: 'SELECT max(population) FROM city', weight: 1 },
      { text: 'SELECT nothing FROM nowhere', weight: 1 },
    ],
  },
  {
    question: 'what is the population of alaska',
    candidates: [
      { text: "SELECT population FROM state WHERE state_name = 'alaska'", weight: 9 },
      { text: 'I cannot tell.', weight: 1 },
    ],
  },
  {
    question: 'which states border kentucky',
    candidates: [{ text: "SELECT border FROM border_info WHERE state_name = 'kentucky'", weight: 1 }],
  },
];

async function run(
  name: string,
  adaptive: boolean,
  options: { rounds?: 'cost' | 'fixed'; prices?: string } = {},
) {
  const server = await createLlmTestServer({ respond: createScriptedCandidateModel(QUESTIONS) });
  servers.push(server);
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
      '  genQ: { n: 6 }',
      '  genA: { n: 20, logprobs: false }',
      '  promptsPerRound: 1',
      `verify: { minVotes: 3, adaptive: ${adaptive}, adaptiveFirst: 5, adaptiveStep: 5${options.rounds ? `, adaptiveRounds: ${options.rounds}` : ''} }`,
      `llm: { provider: { kind: openai-compatible, model: scripted, baseURL: ${JSON.stringify(server.baseURL)} }${options.prices ? `, prices: { scripted: ${options.prices} }` : ''} }`,
      `output: { dir: ${JSON.stringify(out)} }`,
    ].join('\n'),
  );
  expect(await main(['generate', config])).toBe(0);
  const lines = (file: string) =>
    readFileSync(join(out, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
  return { server, out, accepted: lines('dataset.jsonl'), rejected: lines('rejected.jsonl'), stats };
}

describe('symgen generate --adaptive', () => {
  it('requests candidates in rounds, stops settled questions early, and decides as the full budget does', async () => {
    const fixed = await run('fixed', false);
    const adaptive = await run('adaptive', true);
    const decisions = (result: typeof fixed) =>
      [...result.accepted, ...result.rejected]
        .map((line) => `${line.id} ${line.status} ${line.reason ?? ''} ${line.program ?? ''}`)
        .sort();
    expect(decisions(adaptive)).toEqual(decisions(fixed));
    expect(fixed.accepted.length).toBeGreaterThan(0);
    expect(fixed.stats.stages.gen_a.candidates).toBe(6 * 20);
    // Two of the six questions are hard (an even split, a scatter): they read on to the cap.
    expect(adaptive.stats.stages.gen_a.candidates).toBeLessThan(fixed.stats.stages.gen_a.candidates * 0.75);
    // More requests: each round sends the prompt again (prompt tokens), fewer samples (completion tokens).
    expect(adaptive.stats.usage.requests).toBeGreaterThan(fixed.stats.usage.requests);
    expect(adaptive.stats.usage.completionTokens).toBeLessThan(fixed.stats.usage.completionTokens);
    expect(adaptive.stats.usage.perAccepted.samples).toBeLessThan(fixed.stats.usage.perAccepted.samples);
    // Every line says how much it read and why it stopped; a unanimous question stops at 5.
    for (const line of [...adaptive.accepted, ...adaptive.rejected]) {
      const read = (line.adaptive as { read: number; budget: number }).read;
      expect(line.adaptive).toMatchObject({
        budget: 20,
        stop: expect.stringMatching(/settled|posterior|budget/),
      });
      expect(line.total).toBeLessThanOrEqual(read);
      expect((line.provenance as { gen_a: { candidates: number } }).gen_a.candidates).toBe(read);
    }
    const unanimous = adaptive.accepted.find((line) => line.question === 'how many states are there');
    expect(unanimous).toMatchObject({ adaptive: { read: 5 }, total: 5 });
    // Rounds ask for later sample indices of the same request: seeds base + offset.
    const genA = adaptive.server.requests
      .map((request) => request.body as { n?: number; seed: number; messages: { content: string }[] })
      .filter((body) => !body.messages[0]!.content.includes('write questions'));
    const seeds = new Map<string, number[]>();
    for (const body of genA) {
      const prompt = body.messages.map((message) => message.content).join('\n');
      seeds.set(prompt, [...(seeds.get(prompt) ?? []), body.seed]);
    }
    for (const list of seeds.values())
      expect(list.map((seed) => seed - list[0]!)).toEqual([0, 5, 10, 15].slice(0, list.length));
  });

  it('with a priced prompt, later rounds weigh the prompt against the samples they may save', async () => {
    // prompts of about 850 tokens against candidates of about 20: with output at 4x the input price one
    // more request costs about 11 samples, at 20x about 2
    const decisions = (result: Awaited<ReturnType<typeof run>>) =>
      [...result.accepted, ...result.rejected]
        .map((line) => `${line.id} ${line.status} ${line.reason ?? ''} ${line.program ?? ''}`)
        .sort();
    const genA = (result: Awaited<ReturnType<typeof run>>) =>
      result.server.requests
        .map((request) => request.body as { n?: number; messages: { content: string }[] })
        .filter((body) => !body.messages[0]!.content.includes('write questions'));
    const cost = (result: Awaited<ReturnType<typeof run>>) => result.stats.usage.costUsd as number;
    for (const output of [4, 20]) {
      const prices = `{ inputPerMillion: 1, outputPerMillion: ${output} }`;
      const full = await run(`priced-${output}-full`, false, { prices });
      const fixedRounds = await run(`priced-${output}-fixed-rounds`, true, { prices, rounds: 'fixed' });
      const costRounds = await run(`priced-${output}-cost-rounds`, true, { prices });
      expect(decisions(fixedRounds)).toEqual(decisions(full));
      expect(decisions(costRounds)).toEqual(decisions(full));
      // never a round below the step (5) except the last of the budget
      const sizes = genA(costRounds).map((body) => body.n ?? 1);
      expect(sizes.every((n) => n >= 5)).toBe(true);
      expect(costRounds.stats.stages.gen_a.candidates).toBeLessThan(full.stats.stages.gen_a.candidates);
      if (output === 4) {
        // a dear prompt: fewer, larger rounds than the fixed step's, and a lower bill than theirs
        expect(genA(costRounds).length).toBeLessThan(genA(fixedRounds).length);
        expect(Math.max(...sizes)).toBeGreaterThan(5);
        expect(cost(costRounds)).toBeLessThan(cost(fixedRounds));
      } else {
        // a cheap prompt: the step is the right size, and adaptive costs less than the full budget
        expect(cost(costRounds)).toBeLessThanOrEqual(cost(fixedRounds));
        expect(cost(costRounds)).toBeLessThan(cost(full));
      }
    }
  });

  it('resumes an adaptive run from the response cache without a request', async () => {
    const adaptive = await run('adaptive-resume', true);
    const before = adaptive.server.requests.length;
    const dataset = readFileSync(join(adaptive.out, 'dataset.jsonl'), 'utf8');
    rmSync(join(adaptive.out, 'dataset.jsonl'));
    expect(await main(['generate', '--resume', '--out', adaptive.out])).toBe(0);
    expect(adaptive.server.requests.length).toBe(before);
    expect(readFileSync(join(adaptive.out, 'dataset.jsonl'), 'utf8')).toBe(dataset);
  });
});

// A real SymGen run on GeoQuery against the scripted model, for the review and export tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { createLlmTestServer } from '../src/testing/index.js';
import { createGeoQueryModel } from './geoquery-model.js';
import { GEOGRAPHY_DB, GEOQUERY_TRAIN } from './shared-data.js';

/**
 * Generates a run directory with `symgen generate` (a scripted OpenAI-compatible model on loopback):
 * accepted examples with losing result groups, and rejected ones (below-min-votes, no-program).
 */
export async function generateGeoRun(folder: string, count = 16): Promise<string> {
  const server = await createLlmTestServer({ respond: createGeoQueryModel() });
  const out = join(folder, 'run');
  const config = join(folder, 'geo.yaml');
  mkdirSync(folder, { recursive: true });
  try {
    writeFileSync(
      config,
      [
        'task: sql',
        `count: ${count}`,
        'seed: 3',
        `knowledge: { db: ${JSON.stringify(GEOGRAPHY_DB)}, rows: 2 }`,
        `demonstrations: { file: ${JSON.stringify(GEOQUERY_TRAIN)}, k: 3, selection: bm25 }`,
        'generation:',
        '  genQ: { n: 12 }',
        '  genA: { n: 10, logprobs: true }',
        '  promptsPerRound: 2',
        'verify: { minVotes: 5 }',
        `llm: { provider: { kind: openai-compatible, model: geo-model, baseURL: ${JSON.stringify(server.baseURL)} } }`,
        `output: { dir: ${JSON.stringify(out)} }`,
      ].join('\n'),
    );
    const code = await main(['generate', config]);
    if (code !== 0) throw new Error(`symgen generate exited ${code}`);
  } finally {
    await server.close();
  }
  return out;
}

// symgen generate end to end against a scripted GeoQuery model behind the local HTTP test server:
// the pipeline with its default concurrency, the same with one question at a time (a research
// script's loop), and a resume of the finished run (everything from run.sqlite). Side by side, one run.
//   npm run bench:generate   (COUNT=120 LATENCY_MS=100 N=20)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGenerateConfig } from '../src/config/index.js';
import { runGenerate } from '../src/generate/pipeline/index.js';
import { createLlmTestServer } from '../src/testing/index.js';
import { createGeoQueryModel } from '../test/geoquery-model.js';
import { GEOGRAPHY_DB } from '../test/shared-data.js';

const COUNT = Number(process.env.COUNT ?? 120);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 100);
const N = Number(process.env.N ?? 20);
const folder = mkdtempSync(join(tmpdir(), 'symgen-bench-generate-'));
const model = createGeoQueryModel();
const server = await createLlmTestServer({
  respond: (request) => {
    const reply = model(request);
    return reply && { ...reply, delayMs: LATENCY_MS };
  },
});

async function measure(name: string, dir: string, generation: Record<string, unknown>, resume = false) {
  const config = parseGenerateConfig(
    {
      count: COUNT,
      knowledge: { db: GEOGRAPHY_DB },
      demonstrations: {
        file: join(import.meta.dirname, '..', 'examples', 'geoquery', 'train.jsonl'),
        selection: 'bm25',
      },
      generation: { genQ: { n: N }, genA: { n: N }, ...generation },
      verify: { minVotes: Math.max(1, Math.round(N / 4)) },
      llm: { provider: { kind: 'openai-compatible', model: 'geo-model', baseURL: server.baseURL } },
      output: { dir },
    },
    'bench',
  );
  const before = server.requests.length;
  const started = performance.now();
  const summary = await runGenerate({ config, resume });
  const seconds = (performance.now() - started) / 1000;
  return {
    name,
    seconds,
    examples: summary.stats.examples.total,
    accepted: summary.stats.examples.accepted,
    requests: server.requests.length - before,
  };
}

const rows = [];
const concurrentDir = join(folder, 'concurrent');
rows.push(await measure('pipeline, default concurrency (16 questions, 8 prompts)', concurrentDir, {}));
rows.push(
  await measure('one question at a time, one prompt per round', join(folder, 'sequential'), {
    concurrency: 1,
    promptsPerRound: 1,
  }),
);
rows.push(await measure('--resume of the finished run (all from run.sqlite)', concurrentDir, {}, true));
await server.close();

console.log(
  `${COUNT} GeoQuery questions, ${N} samples per prompt and per question, server latency ${LATENCY_MS} ms, ${new Date().toISOString()}\n`,
);
console.log('| mode | s | examples/s | accepted | requests |');
console.log('|---|---|---|---|---|');
for (const row of rows)
  console.log(
    `| ${row.name} | ${row.seconds.toFixed(2)} | ${(row.examples / row.seconds).toFixed(1)} | ${row.accepted} | ${row.requests} |`,
  );
console.log(`\nconcurrent / sequential: ${(rows[1]!.seconds / rows[0]!.seconds).toFixed(1)}x faster`);
console.log(`fresh / resume of a finished run: ${(rows[0]!.seconds / rows[2]!.seconds).toFixed(1)}x`);

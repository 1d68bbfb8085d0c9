/**
 * Is generated data worth training on? The built-in task model (`symgen evaluate --train`: 40
 * epochs, seed 1) trained on five datasets, each scored on the 280 GeoQuery dev questions by
 * execution accuracy, in one run:
 *   (a) the 600 human train pairs;
 *   (b) offline data from the first 10 train pairs as demonstrations (600 generated, no model);
 *   (c) offline data from all 600 train pairs as demonstrations (600 generated) plus those pairs;
 *   (d) data made through the model path (SymGen: gen_q, gen_a, verify) from a scripted model on
 *       loopback that answers with train questions and train gold (never dev);
 *   (e) as (b), from 10 train pairs drawn at random (the train file is sorted by question, so its
 *       first 10 are all "can you tell me ..." and "give me ...").
 *
 *   npm run bench:data-model                 # all four
 *   npm run bench:data-model -- --epochs 10  # quicker, for a look
 *
 * Generated files and predictions land in bench/out/data-model/.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateConfigSchema } from '../src/config/index.js';
import type { BreakdownEvaluation } from '../src/evaluate/index.js';
import { runGenerate } from '../src/generate/pipeline/index.js';
import { trainAndScore } from '../src/model/index.js';
import { seededRandom } from '../src/random.js';
import { sqlTask } from '../src/tasks/sql/index.js';
import { createLlmTestServer } from '../src/testing/index.js';
import { createGeoQueryModel } from '../test/geoquery-model.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'geoquery-sql');
const DB = join(import.meta.dirname, '..', 'examples', 'geoquery', 'geography.sqlite');
const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    'max-seconds': { type: 'string', default: '1800' },
    only: { type: 'string', multiple: true, default: [] },
    /** generation.offline.beyond for the offline runs (the built-in question shapes' share). */
    beyond: { type: 'string' },
  },
});
// one folder per selection, so selections can run side by side (`--only a` and `--only b`)
const OUT = join(
  import.meta.dirname,
  'out',
  'data-model',
  ((values.only ?? []).join('') || 'all') + (values.beyond !== undefined ? `-beyond-${values.beyond}` : ''),
);
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const trainLines = readFileSync(join(DATA, 'train.jsonl'), 'utf8').trim().split('\n');
const trainPairs = trainLines.map((line) => JSON.parse(line) as { question: string; query: string });
const demos10 = join(OUT, 'demos-10.jsonl');
writeFileSync(demos10, `${trainLines.slice(0, 10).join('\n')}\n`);
const demos600 = join(DATA, 'train.jsonl');
// GeoQuery's train file is sorted by question, so its first 10 lines are all "can you tell me ...",
// "could you tell me ..." and "give me ...": (e) draws 10 at random (seeded) instead, as a few-shot
// setting would
const demosRandom = join(OUT, 'demos-10-random.jsonl');
writeFileSync(demosRandom, `${drawLines(trainLines, 10, 1).join('\n')}\n`);

/** `count` lines drawn without replacement by a seeded generator, in file order. */
function drawLines(lines: readonly string[], count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, lines.length)) picked.add(Math.floor(next() * lines.length));
  return [...picked].sort((a, b) => a - b).map((index) => lines[index]!);
}

async function offline(name: string, demonstrations: string, count: number): Promise<string> {
  const started = performance.now();
  const summary = await runGenerate({
    config: generateConfigSchema.parse({
      count,
      seed: 0,
      knowledge: { db: DB },
      demonstrations: { file: demonstrations },
      ...(values.beyond !== undefined ? { generation: { offline: { beyond: Number(values.beyond) } } } : {}),
      output: { dir: join(OUT, name) },
    }),
  });
  const mix = summary.stats.mix as { divergence: Record<string, number> } | undefined;
  process.stderr.write(
    `${name}: ${summary.stats.examples.accepted} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s; divergence from the demonstrations' mix ${JSON.stringify(mix?.divergence)}\n`,
  );
  return summary.files.dataset;
}

async function modelPath(): Promise<string> {
  const server = await createLlmTestServer({ respond: createGeoQueryModel(trainPairs) });
  try {
    const started = performance.now();
    const summary = await runGenerate({
      config: generateConfigSchema.parse({
        count: 400,
        seed: 0,
        knowledge: { db: DB, rows: 2 },
        demonstrations: { file: demos10, k: 4, selection: 'bm25' },
        generation: { genQ: { n: 10 }, genA: { n: 5 }, promptsPerRound: 8 },
        verify: { minVotes: 3 },
        llm: { provider: { kind: 'openai-compatible', model: 'scripted', baseURL: server.baseURL } },
        output: { dir: join(OUT, 'model-path') },
      }),
    });
    process.stderr.write(
      `model path: ${summary.stats.examples.accepted} accepted of ${summary.stats.examples.total} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return summary.files.dataset;
  } finally {
    await server.close();
  }
}

const runs: { key: string; name: string; file: () => Promise<string> }[] = [
  { key: 'a', name: '(a) human: GeoQuery train', file: async () => demos600 },
  {
    key: 'b',
    name: '(b) offline from 10 train pairs (grammar + programs-first)',
    file: () => offline('offline-10', demos10, 600),
  },
  {
    key: 'c',
    name: '(c) offline from 600 train pairs, plus those pairs',
    file: async () => {
      const generated = await offline('offline-600', demos600, 600);
      const both = join(OUT, 'human-plus-offline-600.jsonl');
      writeFileSync(both, `${trainLines.join('\n')}\n${readFileSync(generated, 'utf8')}`);
      return both;
    },
  },
  { key: 'd', name: '(d) model path, scripted loopback model (10 demonstrations)', file: modelPath },
  {
    key: 'e',
    name: '(e) offline from 10 train pairs drawn at random (seed 1)',
    file: () => offline('offline-10-random', demosRandom, 600),
  },
];
const chosen = (values.only ?? []).length > 0 ? runs.filter((run) => values.only!.includes(run.key)) : runs;
const files = new Map<string, string>();
for (const run of chosen) files.set(run.key, await run.file());

const rows: string[] = [];
for (const run of chosen) {
  const result = await trainAndScore({
    task: sqlTask as never,
    train: files.get(run.key)!,
    gold: join(DATA, 'dev.jsonl'),
    db: DB,
    predictions: join(OUT, `predictions-${run.key}.jsonl`),
    model: {
      epochs: Number(values.epochs),
      seed: Number(values.seed),
      maxSeconds: Number(values['max-seconds']),
      onEpoch: (epoch, loss, seconds) => {
        process.stderr.write(
          `${run.key}: epoch ${epoch} loss ${loss.toFixed(3)} (${seconds.toFixed(0)} s in all, ${(seconds / epoch).toFixed(1)} s per epoch)\n`,
        );
      },
    },
  });
  const { training } = result;
  // the SQL task scores by hardness and database
  const evaluation = result.evaluation as BreakdownEvaluation;
  const hardness = Object.entries(evaluation.byHardness)
    .filter(([, cell]) => cell.count > 0)
    .map(([level, cell]) => `${level} ${(cell.execution * 100).toFixed(1)}%`)
    .join(', ');
  const row = `| ${run.name} | ${training.examples} | ${training.seconds.toFixed(0)} s | **${(evaluation.overall.execution * 100).toFixed(1)}%** | ${(evaluation.overall.exactMatch * 100).toFixed(1)}% | ${(evaluation.overall.valid * 100).toFixed(1)}% | ${hardness} |`;
  rows.push(row);
  process.stderr.write(`${row}\n`);
}
process.stdout.write(
  `${[
    `| trained on (${values.epochs} epochs, seed ${values.seed}) | pairs | train time | dev execution | exact | valid | by hardness |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')}\n`,
);

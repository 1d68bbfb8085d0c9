/**
 * The built-in task model on GeoQuery: trained from scratch (TF.js, WebAssembly backend) on the 600
 * human training pairs, and on each other dataset given (`--generated FILE`), each scored on the 280 dev questions by
 * execution accuracy. Records training time, steps and parameters per row.
 *
 *   npm run bench:model                                   # human row only
 *   npm run bench:model -- --generated FILE [--generated FILE2] [--epochs 40]
 *
 * A generated file comes from the offline programs-first generator, for example:
 *   symgen sample --task sql --db examples/geoquery/geography.sqlite --count 600 --out bench/out/generated.jsonl
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BreakdownEvaluation } from '../src/evaluate/index.js';
import { trainAndScore } from '../src/model/index.js';
import { sqlTask } from '../src/tasks/sql/index.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'geoquery-sql');
const DB = join(import.meta.dirname, '..', 'examples', 'geoquery', 'geography.sqlite');
const OUT = join(import.meta.dirname, 'out');
const { values } = parseArgs({
  options: {
    generated: { type: 'string', multiple: true, default: [] },
    epochs: { type: 'string', default: '40' },
    'max-seconds': { type: 'string', default: '1800' },
  },
});
mkdirSync(OUT, { recursive: true });

const rows: string[] = [];
const runs: { name: string; file: string }[] = [
  { name: 'human: GeoQuery train (600 pairs)', file: join(DATA, 'train.jsonl') },
  ...(values.generated ?? []).map((file) => ({ name: `dataset: ${file}`, file })),
];
for (const [index, run] of runs.entries()) {
  const result = await trainAndScore({
    task: sqlTask as never,
    train: run.file,
    gold: join(DATA, 'dev.jsonl'),
    db: DB,
    predictions: join(OUT, `model-predictions-${index}.jsonl`),
    model: {
      epochs: Number(values.epochs),
      maxSeconds: Number(values['max-seconds']),
      onEpoch: (epoch, loss, seconds) => {
        if (epoch % 5 === 0)
          process.stderr.write(
            `${run.name}: epoch ${epoch} loss ${loss.toFixed(3)} (${seconds.toFixed(0)} s)\n`,
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
  const row = `| ${run.name} | ${training.examples} | ${training.epochs} (${training.steps} steps) | ${training.seconds.toFixed(0)} s | ${result.predictSeconds.toFixed(0)} s | **${(evaluation.overall.execution * 100).toFixed(1)}%** | ${(evaluation.overall.exactMatch * 100).toFixed(1)}% | ${(evaluation.overall.valid * 100).toFixed(1)}% | ${hardness} |`;
  rows.push(row);
  process.stderr.write(`${row}\n`);
  writeFileSync(
    join(OUT, `model-result-${index}.json`),
    `${JSON.stringify({ name: run.name, training, overall: evaluation.overall, byHardness: evaluation.byHardness }, null, 2)}\n`,
  );
}
const table = [
  '| trained on | pairs | epochs | train time | predict time | dev execution accuracy | exact | valid | by hardness |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
process.stdout.write(`${table}\n`);

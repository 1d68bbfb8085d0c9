/**
 * Does the generated mix follow the demonstrations? On the 25 Spider test databases, with the first
 * 10 questions of each database (Spider test) as its demonstrations, 30 offline pairs per database:
 *   before: the programs-first generator aiming at Spider dev's built-in mix (the earlier default);
 *   after:  the default now: the grammar induced from the demonstrations, programs-first filling
 *           the rest toward the demonstrations' mix of that database, and 70% of the pairs from the
 *           built-in question shapes (`generation.offline.beyond: 0.7`), which go past that mix;
 *   kept:   the same with `beyond: 0` (the demonstrations' rules and programs-first only).
 * Each database's divergence from its demonstrations' mix (hardness: total variation; clauses and
 * tables: mean absolute difference of shares), side by side.
 *
 *   npm run bench:spider-mix
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateConfigSchema } from '../src/config/index.js';
import { runGenerate } from '../src/generate/pipeline/index.js';
import { loadSqlParser, type SqlFeatures, sqlFeatures } from '../src/tasks/sql/index.js';
import { type MixDivergence, measureMix, mixDivergence } from '../src/tasks/sql/mix.js';

const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'data', 'spider-test');
const DATABASES = join(import.meta.dirname, '..', 'examples', 'spider', 'database');
const OUT = join(import.meta.dirname, 'out', 'spider-mix');
const PER_DATABASE = 30;
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await loadSqlParser();

const questions = readFileSync(join(SHARED, 'questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { db_id: string; question: string; query: string });
const byDatabase = new Map<string, typeof questions>();
for (const entry of questions) {
  const list = byDatabase.get(entry.db_id) ?? [];
  if (list.length < 10) list.push(entry);
  byDatabase.set(entry.db_id, list);
}
const demos = join(OUT, 'demos.jsonl');
writeFileSync(
  demos,
  `${[...byDatabase.values()]
    .flat()
    .map((entry) => JSON.stringify(entry))
    .join('\n')}\n`,
);
const ids = [...byDatabase.keys()].sort();

async function generate(name: string, generation: Record<string, unknown>) {
  const started = performance.now();
  const summary = await runGenerate({
    config: generateConfigSchema.parse({
      count: PER_DATABASE * ids.length,
      seed: 0,
      knowledge: { db: DATABASES, databases: ids },
      demonstrations: { file: demos },
      generation,
      output: { dir: join(OUT, name) },
    }),
  });
  const lines = readFileSync(summary.files.dataset, 'utf8')
    .trim()
    .split('\n')
    .map(
      (line) => JSON.parse(line) as { db_id: string; features: SqlFeatures; provenance: { method: string } },
    );
  const features = new Map<string, SqlFeatures[]>();
  let grammar = 0;
  for (const line of lines) {
    const list = features.get(line.db_id) ?? [];
    list.push(line.features);
    features.set(line.db_id, list);
    if (line.provenance.method === 'grammar') grammar++;
  }
  process.stderr.write(
    `${name}: ${lines.length} pairs (${grammar} from the grammar) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return features;
}

const before = await generate('before', {
  offline: { method: 'programs-first' },
  conditions: { target: 'spider' },
});
const after = await generate('after', {});
const kept = await generate('kept', { offline: { method: 'grammar', beyond: 0 } });
const format = (divergence: MixDivergence) =>
  `${divergence.hardness.toFixed(3)} / ${divergence.clauses.toFixed(3)} / ${divergence.tables.toFixed(3)}`;
const rows: string[] = [];
const sums = { before: [0, 0, 0], after: [0, 0, 0], kept: [0, 0, 0] };
for (const id of ids) {
  const target = measureMix(byDatabase.get(id)!.map((entry) => sqlFeatures(entry.query)));
  const was = mixDivergence(target, measureMix(before.get(id) ?? []));
  const now = mixDivergence(target, measureMix(after.get(id) ?? []));
  const only = mixDivergence(target, measureMix(kept.get(id) ?? []));
  for (const [key, value] of [
    ['before', was],
    ['after', now],
    ['kept', only],
  ] as const) {
    sums[key][0]! += value.hardness;
    sums[key][1]! += value.clauses;
    sums[key][2]! += value.tables;
  }
  rows.push(
    `| ${id} | ${(before.get(id) ?? []).length} | ${format(was)} | ${(after.get(id) ?? []).length} | ${format(now)} | ${(kept.get(id) ?? []).length} | ${format(only)} |`,
  );
}
const mean = (values: number[]) => values.map((value) => (value / ids.length).toFixed(3)).join(' / ');
process.stdout.write(
  `${[
    '| database | pairs before | divergence before (hardness / clauses / tables) | pairs after | divergence after (default, beyond 0.7) | pairs kept | divergence, beyond 0 |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    `| **mean of ${ids.length}** | | **${mean(sums.before)}** | | **${mean(sums.after)}** | | **${mean(sums.kept)}** |`,
  ].join('\n')}\n`,
);

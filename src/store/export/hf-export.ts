import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { DatasetRow } from './dataset-rows.js';
import { writeParquet } from './parquet-export.js';

/** What the dataset card says about the run (from `run.sqlite`'s config and `stats.json`). */
export interface CardFacts {
  readonly title: string;
  readonly task: string;
  /** SPDX-style licence id for the card's metadata (`apache-2.0`, `cc-by-4.0`, `other`, ...). */
  readonly license: string;
  readonly model?: { readonly provider?: string; readonly modelId?: string } | null;
  readonly mode?: string;
  readonly sampling?: unknown;
  readonly verifier?: unknown;
  readonly seed?: unknown;
  readonly examples?: {
    readonly total?: number;
    readonly accepted?: number;
    readonly rejected?: number;
    readonly acceptRate?: number;
  };
  readonly rejectedBy?: Record<string, number>;
  readonly review?: { reviewed: number; accepted: number; rejected: number; edited: number };
}

/** Hugging Face `datasets` feature types of the exported columns. */
const FEATURES: [string, string][] = [
  ['id', 'string'],
  ['db_id', 'string'],
  ['question', 'string'],
  ['program', 'string'],
  ['confidence', 'float64'],
  ['votes', 'int32'],
  ['total', 'int32'],
  ['hardness', 'string'],
  ['weight', 'float64'],
  ['provenance', 'string'],
  ['record', 'string'],
  ['task', 'string'],
  ['review', 'string'],
];

/**
 * Writes a Hugging Face dataset folder: Parquet shards `data/train-NNNNN-of-NNNNN.parquet` (at most
 * `shardRows` rows each) and `README.md`, a dataset card whose YAML header holds the licence, task
 * categories, features, split sizes and file layout, and whose text gives the model, the sampling
 * and verifier settings and the acceptance figures. Written into a temporary folder beside `out`
 * and renamed into place, so a failed export leaves nothing half-written. Load it with
 * `datasets.load_dataset("parquet", data_files="OUT/data/*.parquet")` or push the folder to the Hub.
 */
export function writeHfDataset(
  rows: readonly DatasetRow[],
  out: string,
  facts: CardFacts,
  options: { shardRows?: number } = {},
): { shards: string[] } {
  const shardRows = Math.max(1, options.shardRows ?? 100_000);
  const count = Math.max(1, Math.ceil(rows.length / shardRows));
  const temporary = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  rmSync(temporary, { recursive: true, force: true });
  try {
    mkdirSync(join(temporary, 'data'), { recursive: true });
    const shards: string[] = [];
    let bytes = 0;
    for (let index = 0; index < count; index++) {
      const name = `data/train-${pad(index)}-of-${pad(count)}.parquet`;
      const slice = rows.slice(index * shardRows, (index + 1) * shardRows);
      writeParquet(slice, join(temporary, name), { task: facts.task, json: 'STRING' });
      bytes += statSync(join(temporary, name)).size;
      shards.push(name);
    }
    writeFileSync(join(temporary, 'README.md'), datasetCard(rows, facts, bytes));
    rmSync(out, { recursive: true, force: true });
    renameSync(temporary, out);
    return { shards };
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

function pad(value: number): string {
  return String(value).padStart(5, '0');
}

/** The size category of the Hub's metadata for a number of rows. */
export function sizeCategory(rows: number): string {
  const bounds: [number, string][] = [
    [1_000, 'n<1K'],
    [10_000, '1K<n<10K'],
    [100_000, '10K<n<100K'],
    [1_000_000, '100K<n<1M'],
    [10_000_000, '1M<n<10M'],
  ];
  return bounds.find(([bound]) => rows < bound)?.[1] ?? '10M<n<100M';
}

/** The README.md dataset card: YAML metadata, then the run in words and tables. */
export function datasetCard(rows: readonly DatasetRow[], facts: CardFacts, bytes: number): string {
  const reviewed = rows.filter((row) => (row.record.review as { status?: unknown } | undefined)?.status);
  const metadata = {
    license: facts.license,
    pretty_name: facts.title,
    language: ['en'],
    task_categories: ['text-generation'],
    tags: ['symgen', 'synthetic', 'code', facts.task],
    size_categories: [sizeCategory(rows.length)],
    configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'data/train-*' }] }],
    dataset_info: {
      features: FEATURES.map(([name, dtype]) => ({ name, dtype })),
      splits: [{ name: 'train', num_bytes: bytes, num_examples: rows.length }],
      download_size: bytes,
      dataset_size: bytes,
    },
  };
  const model = facts.model?.modelId
    ? `${facts.model.modelId}${facts.model.provider ? ` (${facts.model.provider})` : ''}`
    : facts.mode === 'programs-first'
      ? 'none: the offline programs-first generator'
      : 'not recorded';
  const examples = facts.examples ?? {};
  const figures: [string, string][] = [
    ['examples in this dataset (train split)', String(rows.length)],
    ['questions verified', examples.total === undefined ? '-' : String(examples.total)],
    ['accepted', examples.accepted === undefined ? '-' : String(examples.accepted)],
    ['rejected', examples.rejected === undefined ? '-' : String(examples.rejected)],
    [
      'acceptance rate',
      examples.acceptRate === undefined ? '-' : `${(examples.acceptRate * 100).toFixed(1)}%`,
    ],
    ['reviewed by people (in this dataset)', String(reviewed.length)],
  ];
  if (facts.review) {
    figures.push([
      'review decisions (whole run)',
      `${facts.review.reviewed} reviewed: ${facts.review.accepted} accepted, ${facts.review.rejected} rejected, ${facts.review.edited} edited`,
    ]);
  }
  const block = (value: unknown) => `\`\`\`json\n${JSON.stringify(value ?? null, null, 2)}\n\`\`\``;
  return [
    '---',
    stringify(metadata).trimEnd(),
    '---',
    '',
    `# ${facts.title}`,
    '',
    `Task \`${facts.task}\`: questions paired with programs, generated by a language model and kept only when the program's execution result won a vote across samples (SymGen-style verification), written by symgen.`,
    '',
    '## Acceptance figures',
    '',
    '| | |',
    '|---|---|',
    ...figures.map(([what, value]) => `| ${what} | ${value} |`),
    ...(facts.rejectedBy && Object.keys(facts.rejectedBy).length > 0
      ? [
          '',
          'Rejections by reason:',
          '',
          ...Object.entries(facts.rejectedBy).map(([reason, value]) => `- ${reason}: ${value}`),
        ]
      : []),
    '',
    '## Model',
    '',
    model,
    '',
    '## Sampling',
    '',
    block(facts.sampling),
    '',
    '## Verifier',
    '',
    block(facts.verifier),
    '',
    '## Fields',
    '',
    ...FEATURES.map(([name, dtype]) => `- \`${name}\` (${dtype})`),
    '',
    '`record` is the whole dataset line as JSON (provenance, result groups, votes); `review` is a',
    "reviewer's decision (`accepted` or `rejected`) when someone reviewed the line with `symgen review`.",
    '',
    '## Loading',
    '',
    '```python',
    'from datasets import load_dataset',
    'dataset = load_dataset("parquet", data_files="data/*.parquet", split="train")',
    '```',
    '',
    `Seed: ${JSON.stringify(facts.seed ?? null)}. Licence: ${facts.license}.`,
    '',
  ].join('\n');
}

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { generateGeoRun } from '../../../test/geo-run.js';
import { main } from '../../cli/main.js';
import { RunTask } from '../../review/run-task.js';
import { RunReviews, writeReviewedOutputs } from '../run-reviews.js';
import { RunStore } from '../run-store.js';

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    // biome-ignore lint/suspicious/noExplicitAny: the test walks dataset lines
    .map((line) => JSON.parse(line) as Record<string, any>);

let folder: string;
let run: string;
let editedId: string;
let editedFrom: string;
const EDIT = "SELECT state_name FROM state WHERE state_name = 'texas'";

beforeAll(async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  folder = mkdtempSync(join(tmpdir(), 'symgen-export-'));
  run = await generateGeoRun(join(folder, 'sql'), 24);
  // a reviewer replaces one accepted program (executed through the task's executor) and rejects another
  const store = RunStore.open(run, { create: false });
  const task = await RunTask.open(store);
  try {
    const reviews = new RunReviews(store);
    const accepted = reviews.examples().filter((example) => example.state === 'accepted');
    const target = accepted.find((example) => (example.record!.clusters as unknown[]).length > 1)!;
    editedId = target.id;
    editedFrom = target.record!.program as string;
    const result = await task.execute(EDIT, target.record!);
    expect(result.status).toBe('ok');
    reviews.decide(editedId, 0, {
      action: 'edit',
      program: EDIT,
      result: { status: result.status, key: result.key, preview: result.preview },
    });
    const other = accepted.find((example) => example.id !== editedId)!;
    reviews.decide(other.id, 0, { action: 'reject', reason: 'ambiguous question' });
    await writeReviewedOutputs(store);
  } finally {
    await task.close();
    store.close();
  }
}, 120_000);
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(folder, { recursive: true, force: true });
});

describe('symgen export --format dpo', () => {
  it('pairs each accepted program with the program of a losing result group, with both results', async () => {
    const out = join(folder, 'pairs.jsonl');
    expect(await main(['export', run, '--format', 'dpo', '--out', out])).toBe(0);
    const pairs = readLines(out);
    const dataset = readLines(join(run, 'dataset.jsonl'));
    const withLosers = dataset.filter((line) => line.id === editedId || line.clusters.length > 1);
    expect(withLosers.length).toBeGreaterThan(3);
    expect(pairs.map((pair) => pair.id)).toEqual(withLosers.map((line) => line.id));
    for (const pair of pairs) {
      const line = dataset.find((entry) => entry.id === pair.id)!;
      expect(pair.prompt).toBe(line.question);
      expect(pair.chosen).toBe(line.program);
      expect(pair.rejected).not.toBe(pair.chosen);
      if (pair.id === editedId) {
        // the program the reviewer replaced is the strongest negative
        expect(pair).toMatchObject({
          rejected: editedFrom,
          rejected_from: 'reviewer-edit',
          reviewed: 'accepted',
        });
        expect(pair.chosen_result.preview).toEqual([['texas']]);
        continue;
      }
      const winner = line.clusters.find((cluster: { programs: { program: string }[] }) =>
        cluster.programs.some((entry) => entry.program === line.program),
      );
      const loser = line.clusters.find((cluster: { programs: { program: string }[] }) =>
        cluster.programs.some((entry) => entry.program === pair.rejected),
      );
      expect(pair.rejected_from).toBe('losing-group');
      expect(loser.key).not.toBe(winner.key);
      expect(pair.chosen_result).toEqual({
        status: 'ok',
        votes: winner.votes,
        size: winner.size,
        preview: winner.preview,
      });
      expect(pair.rejected_result).toEqual({
        status: 'ok',
        votes: loser.votes,
        size: loser.size,
        preview: loser.preview,
      });
      expect(pair.chosen_result.votes).toBeGreaterThan(pair.rejected_result.votes);
      // the losing group with the most votes
      expect(pair.rejected_result.votes).toBe(
        Math.max(
          ...line.clusters
            .filter((cluster: { key: string }) => cluster.key !== winner.key)
            .map((cluster: { votes: number }) => cluster.votes),
        ),
      );
    }
    // --pairs 3: one pair per losing program, still never the chosen one
    const more = join(folder, 'pairs3.jsonl');
    expect(await main(['export', run, '--format', 'dpo', '--pairs', '3', '--out', more])).toBe(0);
    const all = readLines(more);
    expect(all.length).toBeGreaterThan(pairs.length);
    expect(new Set(all.map((pair) => `${pair.id}\u0000${pair.rejected}`)).size).toBe(all.length);
  });
});

describe('symgen export --format hf', () => {
  it('writes Parquet shards and a dataset card whose metadata and figures match the run', async () => {
    const out = join(folder, 'hf');
    expect(
      await main([
        'export',
        run,
        '--format',
        'hf',
        '--out',
        out,
        '--shard-rows',
        '4',
        '--license',
        'cc-by-4.0',
      ]),
    ).toBe(0);
    const dataset = readLines(join(run, 'dataset.jsonl'));
    const stats = JSON.parse(readFileSync(join(run, 'stats.json'), 'utf8'));
    const shards = readdirSync(join(out, 'data')).sort();
    const count = Math.ceil(dataset.length / 4);
    expect(shards).toEqual(
      Array.from(
        { length: count },
        (_, index) => `train-${String(index).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.parquet`,
      ),
    );
    // read every shard back
    const rows: Record<string, unknown>[] = [];
    let bytes = 0;
    for (const shard of shards) {
      const buffer = readFileSync(join(out, 'data', shard));
      bytes += buffer.length;
      const file = buffer.buffer.slice(
        buffer.byteOffset,
        buffer.byteOffset + buffer.byteLength,
      ) as ArrayBuffer;
      expect(parquetMetadata(file).num_rows).toBeLessThanOrEqual(4n);
      rows.push(...(await parquetReadObjects({ file })));
    }
    expect(rows.map((row) => row.id)).toEqual(dataset.map((line) => line.id));
    expect(rows.map((row) => row.program)).toEqual(dataset.map((line) => line.program));
    expect(new Set(rows.map((row) => row.task))).toEqual(new Set(['sql']));
    expect(rows.filter((row) => row.review === 'accepted').map((row) => row.id)).toEqual([editedId]);
    expect(JSON.parse(rows[0]!.record as string)).toEqual(dataset[0]);

    const card = readFileSync(join(out, 'README.md'), 'utf8');
    const [, yaml, body] = card.split(/^---$/m);
    const metadata = parse(yaml!);
    expect(metadata).toMatchObject({
      license: 'cc-by-4.0',
      task_categories: ['text-generation'],
      size_categories: ['n<1K'],
      configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'data/train-*' }] }],
    });
    expect(metadata.dataset_info.splits).toEqual([
      { name: 'train', num_bytes: bytes, num_examples: dataset.length },
    ]);
    expect(metadata.dataset_info.features.map((feature: { name: string }) => feature.name)).toEqual(
      Object.keys(rows[0]!),
    );
    expect(body).toContain(`| examples in this dataset (train split) | ${dataset.length} |`);
    expect(body).toContain(`| accepted | ${stats.examples.accepted} |`);
    expect(body).toContain(`| rejected | ${stats.examples.rejected} |`);
    expect(body).toContain(`| acceptance rate | ${(stats.examples.acceptRate * 100).toFixed(1)}% |`);
    expect(body).toContain('| review decisions (whole run) | 2 reviewed: 1 accepted, 1 rejected, 1 edited |');
    expect(body).toContain('geo-model (openai-compatible');
    expect(body).toMatch(/"minVotes": 5/);
    expect(body).toMatch(/"n": 10/);
    expect(stats.examples.accepted).toBe(dataset.length);
  });

  it('refuses an unknown format with one line', async () => {
    const errors: string[] = [];
    vi.mocked(process.stderr.write).mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    expect(await main(['export', run, '--format', 'arrow', '--out', join(folder, 'x')])).toBe(2);
    expect(errors.join('')).toMatch(/expected one of parquet, chat, jsonl, dpo, hf/);
  });
});

import { resolve } from 'node:path';
import {
  type CurateOptions,
  curateFile,
  curateOptionsSchema,
  readCurateOptionsFile,
} from '../../curate/index.js';
import { ConfigError, zodIssues } from '../../errors/index.js';
import { checkOutputFile } from '../../io/index.js';
import { Progress } from '../progress.js';
import { requireContent } from './flags.js';
import { modelFromFlags } from './model-flags.js';
import { taskFromFlags } from './task-flags.js';

/** Run `symgen curate` with parsed flags; returns the exit code. */
export async function runCurate(
  flags: Record<string, string | boolean | string[] | undefined>,
): Promise<number> {
  requireContent(flags.in, '--in', 'curate');
  checkOutputFile(String(flags.out), '--out');
  if (typeof flags.dropped === 'string') checkOutputFile(flags.dropped, '--dropped');
  else checkOutputFile(`${String(flags.out)}.dropped.jsonl`, '--out');
  if (typeof flags.review === 'string') checkOutputFile(flags.review, '--review');
  else checkOutputFile(`${String(flags.out)}.review.jsonl`, '--out');
  const scalarFlags = flags as Record<string, string | boolean | undefined>;
  const options = curateOptionsFromFlags(scalarFlags);
  const benchmarks = Array.isArray(flags.decontaminate) ? flags.decontaminate : undefined;
  const task =
    flags.task === undefined && flags.taskModule === undefined ? undefined : await taskFromFlags(scalarFlags);
  const llm = modelFromFlags(scalarFlags, 'relabel', (message) =>
    process.stderr.write(`${message}
`),
  );
  const progress = new Progress('curate', undefined);
  const started = performance.now();
  const result = await curateFile({
    input: String(flags.in),
    output: String(flags.out),
    ...(typeof flags.dropped === 'string' ? { dropped: flags.dropped } : {}),
    ...(typeof flags.review === 'string' ? { review: flags.review } : {}),
    ...(typeof flags.db === 'string' ? { db: flags.db } : {}),
    ...(task ? { task } : {}),
    ...(llm ? { model: llm.model } : {}),
    // the task's normal form decides when a program equals a benchmark's
    ...(benchmarks ? { decontaminate: { files: benchmarks } } : {}),
    options,
    onProgress: (stage, done, total) => {
      progress.setTotal(total);
      progress.update(done, stage);
    },
  });
  progress.end();
  const { summary } = result;
  const dropped = Object.entries(summary.dropped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const relabelled = Object.entries(summary.relabelled)
    .map(([verdict, count]) => `${verdict} ${count}`)
    .join(', ');
  process.stderr.write(
    `curated ${summary.input} examples in ${((performance.now() - started) / 1000).toFixed(2)} s: ${summary.kept} kept` +
      `${dropped ? `, dropped ${dropped}` : ''}${relabelled ? `; relabelled ${relabelled}` : ''}; ${summary.review} to review -> ${String(flags.out)}\n` +
      (summary.mix
        ? `target mix: divergence (${Object.keys(summary.mix.before).join(', ')}) ${formatDivergence(summary.mix.before)} unweighted -> ${formatDivergence(summary.mix.after)} weighted\n`
        : ''),
  );
  if (llm) {
    const { usage, requests } = llm.usage.totals();
    process.stderr.write(
      `auxiliary model: ${requests} requests, ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens\n`,
    );
  }
  return 0;
}

/** Merge `--config` with the single-value flags (flags win) and validate with the zod schema. */
export function curateOptionsFromFlags(flags: Record<string, string | boolean | undefined>): CurateOptions {
  const base = (typeof flags.config === 'string' ? readCurateOptionsFile(flags.config) : {}) as Record<
    string,
    Record<string, unknown> | unknown
  >;
  const section = (name: string) => ({ ...((base[name] as Record<string, unknown> | undefined) ?? {}) });
  const filters = section('filters');
  const dedup = section('dedup');
  const relabel = section('relabel');
  const number = (name: string) => {
    const value = flags[name];
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(parsed)) {
      throw new ConfigError(`--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`, [
        { path: '', message: `expected a number, got ${JSON.stringify(value)}` },
      ]);
    }
    return parsed;
  };
  const set = (target: Record<string, unknown>, key: string, value: unknown) => {
    if (value !== undefined) target[key] = value;
  };
  set(filters, 'minWords', number('minWords'));
  set(filters, 'maxWords', number('maxWords'));
  set(filters, 'language', flags.language);
  set(filters, 'minConfidence', number('minConfidence'));
  set(filters, 'minResultRows', number('minResultRows'));
  set(filters, 'maxResultRows', number('maxResultRows'));
  set(dedup, 'maxPerProgram', number('maxPerProgram'));
  set(dedup, 'threshold', number('nearThreshold'));
  if (flags.nearDedup === false) dedup.nearDuplicates = false;
  set(relabel, 'below', number('relabelBelow'));
  const weight = section('weight');
  if (typeof flags.targetMix === 'string')
    weight.mix = {
      ...((weight.mix as Record<string, unknown> | undefined) ?? {}),
      reference: resolve(flags.targetMix),
    };
  const decontamination = section('decontamination');
  set(decontamination, 'ngram', number('decontaminateNgram'));
  set(decontamination, 'minWords', number('decontaminateMinWords'));
  const input = { ...base, filters, dedup, relabel, weight, decontamination };
  const reviewBelow = number('reviewBelow');
  if (reviewBelow !== undefined) (input as Record<string, unknown>).reviewBelow = reviewBelow;
  const parsed = curateOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError('curate options', zodIssues(parsed.error));
  }
  return parsed.data;
}

/** A task's mix divergence, one number per part in the task's order (SQL: hardness, clauses, tables). */
function formatDivergence(divergence: Readonly<Record<string, number>>): string {
  return Object.values(divergence)
    .map((value) => value.toFixed(3))
    .join(', ');
}

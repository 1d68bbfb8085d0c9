import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ConfigOverrides, loadGenerateConfig, readConfigFile } from '../../config/index.js';
import { BudgetError, ConfigError, InputError, SymgenError } from '../../errors/index.js';
import { runGenerate } from '../../generate/pipeline/index.js';
import { describeWriteFailure } from '../../io/output-path.js';
import { RunStore } from '../../store/run-store.js';
import { parseMinVotes } from '../../verify/index.js';
import { formatGenerateProgress, GenerateDisplay } from '../generate-display.js';
import { onStop } from '../stop.js';
import { integerFlag } from './flags.js';
import { taskFromFlags } from './task-flags.js';

type Flags = Record<string, string | boolean | undefined>;

/** Run `symgen generate` with parsed flags; returns the exit code. */
export async function runGenerateCommand(file: string | undefined, flags: Flags): Promise<number> {
  const module = typeof flags.taskModule === 'string' ? await taskFromFlags(flags) : undefined;
  const overrides = flagOverrides(flags);
  if (module) overrides.task = module.id;
  const base = flags.resume === true ? storedConfig(flags.out ?? outputDirOf(file)) : undefined;
  if (!file && !base && overrides.output === undefined) {
    throw new ConfigError('--out', [
      {
        path: '',
        message:
          'no run directory: pass a config file, or --task T --count N --out DIR (and --db PATH for sql)',
      },
    ]);
  }
  const config = loadGenerateConfig(file, overrides, {
    ...(base ? { base } : {}),
    offline: flags.offline === true,
  });
  if (file && flags.db === undefined && !base && config.knowledge.db && !existsSync(config.knowledge.db)) {
    throw new ConfigError(file, [
      {
        path: 'knowledge.db',
        message: `database not found: ${config.knowledge.db}; fix knowledge.db in ${file} (a relative path is read from the config file's folder), or pass --db PATH`,
      },
    ]);
  }
  const display = new GenerateDisplay();
  const controller = new AbortController();
  // every request in flight listens to the one signal
  setMaxListeners(0, controller.signal);
  const removeStop = onStop((signal) =>
    controller.abort(
      new SymgenError(
        `stopped by ${signal}; the run is saved in ${config.output.dir}: continue it with --resume`,
      ),
    ),
  );
  const minVotes = config.verify.minVotes;
  if (config.llm && minVotes >= 1 && minVotes > config.generation.genA.n) {
    process.stderr.write(
      `symgen generate: warning: --min-votes ${minVotes} is more than the ${config.generation.genA.n} candidates per question (--candidates): every question will be rejected\n`,
    );
  }
  let last: Parameters<typeof formatGenerateProgress>[0] | undefined;
  try {
    let summary: Awaited<ReturnType<typeof runGenerate>>;
    try {
      summary = await runGenerate({
        config,
        ...(module ? { task: module } : {}),
        resume: flags.resume === true,
        signal: controller.signal,
        ...(typeof flags.queue === 'string' ? { queue: flags.queue } : {}),
        onProgress: (progress) => {
          last = progress;
          display.update(progress);
        },
        onMessage: (message) => {
          display.end();
          process.stderr.write(`symgen: ${message}\n`);
        },
      });
    } catch (error) {
      if (!(error instanceof BudgetError)) throw error;
      // A clean stop: what was decided is written (dataset.jsonl, stats.json); --resume continues.
      display.end();
      if (last) process.stderr.write(`${formatGenerateProgress(last)}\n`);
      process.stderr.write(`symgen: ${error.message}\n`);
      await writeRunReport(config.output.dir);
      return 3;
    }
    display.end();
    const { stats } = summary;
    const reasons = Object.entries(stats.stages.gen_a.rejectedBy)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ');
    if (last) process.stderr.write(`${formatGenerateProgress(last)}\n`);
    process.stderr.write(
      `${stats.examples.accepted} accepted, ${stats.examples.rejected} rejected${reasons ? ` (${reasons})` : ''}` +
        `${stats.run.complete ? '' : ', quota not met (the generator ran out of new questions)'}` +
        ` -> ${summary.files.dataset}\n`,
    );
    await writeRunReport(dirname(summary.files.dataset));
    return 0;
  } catch (error) {
    const why = error instanceof SymgenError ? undefined : describeWriteFailure(error);
    if (why === undefined) throw error;
    // a full disk (or a folder turned read-only) mid-run: run.sqlite holds every decided example
    throw new InputError(
      `cannot write the run in ${config.output.dir}: ${why}; what was decided is kept: continue it with --resume`,
      { file: config.output.dir, cause: error },
    );
  } finally {
    removeStop();
    display.end();
  }
}

/** The run directory a config file names, for `--resume` without `--out`. */
function outputDirOf(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const output = readConfigFile(file).output as { dir?: unknown } | undefined;
  return typeof output?.dir === 'string' ? output.dir : undefined;
}

function storedConfig(out: unknown): Record<string, unknown> | undefined {
  if (typeof out !== 'string') {
    throw new ConfigError('--resume', [
      { path: '', message: 'needs --out DIR, the run directory to continue' },
    ]);
  }
  const dir = resolve(out);
  if (!RunStore.exists(dir)) {
    throw new ConfigError('--resume', [
      { path: '', message: `no run in ${dir} to resume (run.sqlite not found); drop --resume to start one` },
    ]);
  }
  const store = RunStore.open(dir, { create: false });
  try {
    const text = store.getMeta('config');
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } finally {
    store.close();
  }
}

/** Flags as a nested config object (paths resolved from the working directory). */
function flagOverrides(flags: Flags): ConfigOverrides {
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const overrides: ConfigOverrides = {
    task: string(flags.task),
    taskModule: typeof flags.taskModule === 'string' ? resolve(flags.taskModule) : undefined,
    count: flags.count === undefined ? undefined : integerFlag('--count', flags.count, 1),
    seed: flags.seed === undefined ? undefined : integerFlag('--seed', flags.seed),
  };
  if (flags.db !== undefined) overrides.knowledge = { db: resolve(String(flags.db)) };
  if (flags.out !== undefined) overrides.output = { dir: resolve(String(flags.out)) };
  if (flags.format !== undefined) {
    overrides.output = {
      ...(overrides.output as object | undefined),
      formats: String(flags.format)
        .split(',')
        .map((format) => format.trim())
        .filter(Boolean),
    };
  }
  if (flags.demos !== undefined || flags.demoSelection !== undefined) {
    overrides.demonstrations = {
      file: flags.demos === undefined ? undefined : resolve(String(flags.demos)),
      selection: string(flags.demoSelection),
    };
  }
  const verify: Record<string, unknown> = {};
  if (flags.minVotes !== undefined) verify.minVotes = parseMinVotes(String(flags.minVotes));
  if (flags.adaptive === true) verify.adaptive = true;
  if (flags.checks === true) verify.checks = true;
  if (flags.testSuite !== undefined) verify.testSuite = integerFlag('--test-suite', flags.testSuite);
  if (Object.keys(verify).length > 0) overrides.verify = verify;
  const budget: Record<string, unknown> = {};
  if (flags.maxCost !== undefined) {
    const value = Number(flags.maxCost);
    if (!(value > 0) || !Number.isFinite(value))
      throw new ConfigError('--max-cost', [
        { path: '', message: `expected US dollars above 0, got ${JSON.stringify(flags.maxCost)}` },
      ]);
    budget.maxCostUsd = value;
  }
  if (flags.maxTokens !== undefined) budget.maxTokens = integerFlag('--max-tokens', flags.maxTokens);
  if (Object.keys(budget).length > 0) overrides.budget = budget;
  const generation: Record<string, unknown> = {};
  if (flags.questionsPerPrompt !== undefined)
    generation.genQ = { n: integerFlag('--questions-per-prompt', flags.questionsPerPrompt) };
  if (flags.candidates !== undefined) generation.genA = { n: integerFlag('--candidates', flags.candidates) };
  if (flags.reference !== undefined)
    generation.conditions = { target: 'reference', reference: resolve(String(flags.reference)) };
  if (flags.noConditions === true || flags.conditions === false)
    generation.conditions = { ...(generation.conditions as object | undefined), enabled: false };
  const offline: Record<string, unknown> = {};
  if (flags.offlineMethod !== undefined) offline.method = string(flags.offlineMethod);
  if (flags.offlineBeyond !== undefined) {
    const value = Number(flags.offlineBeyond);
    if (String(flags.offlineBeyond).trim() === '' || !(value >= 0 && value <= 1))
      throw new ConfigError('--offline-beyond', [
        { path: '', message: `expected a share from 0 to 1, got ${JSON.stringify(flags.offlineBeyond)}` },
      ]);
    offline.beyond = value;
  }
  if (Object.keys(offline).length > 0) generation.offline = offline;
  if (flags.concurrency !== undefined)
    generation.concurrency = integerFlag('--concurrency', flags.concurrency);
  if (Object.keys(generation).length > 0) overrides.generation = generation;
  if (flags.execute === true || flags.fixture !== undefined) {
    overrides.taskOptions = {
      ...(flags.execute === true ? { execute: true } : {}),
      ...(typeof flags.fixture === 'string' ? { fixture: resolve(flags.fixture) } : {}),
    };
  }
  if (
    flags.model !== undefined ||
    flags.baseUrl !== undefined ||
    flags.apiKeyEnv !== undefined ||
    flags.provider !== undefined
  ) {
    overrides.llm = {
      provider: {
        kind: string(flags.provider) ?? 'openai-compatible',
        model: string(flags.model),
        baseURL: string(flags.baseUrl),
        apiKeyEnv: string(flags.apiKeyEnv),
      },
    };
  }
  return overrides;
}

/**
 * The run's `report.html` (as the design's run directory holds one). The data is already written, so
 * a report that fails is a warning, not a failed run; `symgen report` adds the embedding figures.
 */
async function writeRunReport(runDirectory: string): Promise<void> {
  try {
    const { writeReport } = await import('../../report/index.js');
    const out = await writeReport(runDirectory, { embeddings: false });
    process.stderr.write(`report -> ${out}\n`);
  } catch (error) {
    process.stderr.write(
      `symgen: the run is complete, but its report was not written: ${(error as Error).message}\n`,
    );
  }
}

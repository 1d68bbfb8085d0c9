import { ConfigError, SymgenError } from '../../errors/index.js';
import { parseHardnessMix } from '../../generate/conditions/index.js';
import { generateProgramsFirst, type ProgramsFirstOptions } from '../../generate/programs-first/index.js';
import { checkOutputFile, writeLinesAtomically } from '../../io/index.js';
import type { LlmProvider } from '../../llm/spec.js';
import { DatabaseSet } from '../../tasks/sql/databases.js';
import { Progress } from '../progress.js';
import { integerFlag, requireTask } from './flags.js';

/** Run `symgen sample` with parsed flags; returns the exit code. */
export async function runSample(flags: Record<string, string | boolean | undefined>): Promise<number> {
  requireTask(flags.task, ['sql']);
  const count = integerFlag('--count', flags.count, 1);
  checkOutputFile(String(flags.out), '--out');
  const seed = integerFlag('--seed', flags.seed);
  const maxRows = integerFlag('--max-rows', flags.maxRows);
  const hardnessMix = typeof flags.mix === 'string' ? parseHardnessMix(flags.mix) : undefined;
  const set = DatabaseSet.open(String(flags.db));
  const ids = selectDatabases(set, flags.databases);
  const llm = flags.paraphrase === true ? await createModel(flags) : undefined;
  const parses = integerFlag('--parses', flags.parses);

  const progress = new Progress('sample', count * ids.length);
  const produced = new Map<string, number>();
  const skipped: string[] = [];
  const started = performance.now();
  let done = 0;
  async function* lines(): AsyncGenerator<string> {
    for (const id of ids) {
      const environment = set.resolve(id);
      const options: ProgramsFirstOptions = {
        dbPath: environment.path,
        dbId: id,
        count,
        seed,
        maxRows,
        allowDegenerate: flags.allowDegenerate === true,
        ...(hardnessMix ? { hardnessMix } : {}),
        ...(llm ? { llm, paraphrase: { parses } } : {}),
      };
      try {
        for await (const example of generateProgramsFirst(options)) {
          produced.set(id, (produced.get(id) ?? 0) + 1);
          progress.update(++done, id);
          yield JSON.stringify(example);
        }
      } catch (error) {
        // In a folder, one unusable database (no tables, no rows) is reported and skipped.
        if (!(error instanceof SymgenError) || !set.isFolder) throw error;
        skipped.push(`${id} (${error.message})`);
      }
    }
  }
  const written = await writeLinesAtomically(String(flags.out), lines());
  progress.end();
  const seconds = (performance.now() - started) / 1000;
  const short = ids.filter(
    (id) => (produced.get(id) ?? 0) < count && !skipped.some((line) => line.startsWith(`${id} `)),
  );
  process.stderr.write(
    `sampled ${written} programs from ${ids.length - skipped.length} database${ids.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s -> ${String(flags.out)}\n`,
  );
  if (ids.length > 1)
    process.stderr.write(`per database: ${ids.map((id) => `${id} ${produced.get(id) ?? 0}`).join(', ')}\n`);
  for (const id of short)
    process.stderr.write(
      `note: ${id} gave ${produced.get(id) ?? 0} of ${count} (it has too few distinct programs)\n`,
    );
  for (const line of skipped) process.stderr.write(`skipped: ${line}\n`);
  return 0;
}

function selectDatabases(set: DatabaseSet, wanted: unknown): string[] {
  const ids = set.ids();
  if (typeof wanted !== 'string') return ids;
  const chosen = wanted
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = chosen.filter((id) => !ids.includes(id));
  if (unknown.length > 0 || chosen.length === 0) {
    throw new ConfigError('--databases', [
      {
        path: '',
        message: `unknown database ${unknown.join(', ') || '(none given)'}; this --db has ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''}`,
      },
    ]);
  }
  return chosen;
}

async function createModel(flags: Record<string, string | boolean | undefined>): Promise<LlmProvider> {
  const { createLlm } = await import('../../llm/create-llm.js');
  const kind = flags.provider === 'anthropic' ? 'anthropic' : 'openai-compatible';
  if (flags.provider !== kind)
    throw new ConfigError('--provider', [
      { path: '', message: `expected openai-compatible or anthropic, got ${JSON.stringify(flags.provider)}` },
    ]);
  const model = typeof flags.model === 'string' ? flags.model : process.env.SYMGEN_MODEL;
  if (!model)
    throw new ConfigError('--model', [
      { path: '', message: '--paraphrase needs a model: pass --model NAME or set SYMGEN_MODEL' },
    ]);
  const llm = createLlm({
    provider: { kind, model, ...(typeof flags.baseUrl === 'string' ? { baseURL: flags.baseUrl } : {}) },
  });
  return llm.model;
}

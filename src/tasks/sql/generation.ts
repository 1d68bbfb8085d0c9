import { ConfigError, InputError } from '../../errors/index.js';
import type { LlmProvider } from '../../llm/spec.js';
import { firstLineQuestion } from '../shared/text.js';
import type {
  ConditionSampler,
  GenerationSource,
  KnowledgeSource,
  SampledProgram,
  SampleRequest,
  SourceOptions,
  TaskExtras,
  TaskKnowledge,
} from '../spec.js';
import { createSqlConditionSampler, describeCondition, type SqlCondition } from './conditions/index.js';
import { DatabaseSet } from './databases.js';
import type { SqlFeatures } from './features.js';
import type { Hardness } from './hardness.js';

type HardnessMix = Partial<Record<Hardness, number>>;

/** The target mix in task options (`generation.conditions`, or resolved by the run). */
interface MixOptions {
  hardnessMix?: HardnessMix;
  clauseTargets?: Readonly<Record<string, number>>;
  tableTargets?: Readonly<Record<string, number>>;
}

import { SqlKnowledge } from './knowledge.js';
import { generateProgramsFirst, type ProgramsFirstOptions } from './programs-first/generate.js';
import { sqlPrompts } from './prompts.js';
import { openReadOnly, readSqliteSchema } from './schema.js';
import { sqlMix } from './task-mix.js';

/** One source per database of `--db` (a file, or the databases of a folder; `only` picks some). */
export function sqlSources(options: SourceOptions): GenerationSource[] {
  if (!options.db) {
    throw new ConfigError('the sql task', [
      {
        path: 'knowledge.db',
        message:
          'no databases: pass --db PATH (a .sqlite file or a folder of them), or set knowledge.db in a config',
      },
    ]);
  }
  const set = DatabaseSet.open(options.db);
  const ids = set.ids();
  const unknown = (options.only ?? []).filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ConfigError('knowledge.databases', [
      {
        path: 'knowledge.databases',
        message: `no database ${unknown.join(', ')} in ${options.db} (it has ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''})`,
      },
    ]);
  }
  const sources = (options.only ?? ids).map((id) => set.resolve(id));
  if (options.strict) for (const source of sources) refuseWithoutTables(source.path);
  return sources;
}

/** A database with no tables gives nothing to ask questions about: refused before a run starts. */
function refuseWithoutTables(path: string): void {
  const database = openReadOnly(path);
  try {
    const table = database
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1`)
      .get();
    if (table === undefined) {
      throw new InputError(
        `database ${path} has no tables: nothing to generate from; point --db (or knowledge.db) at a database with tables`,
        { file: path },
      );
    }
  } finally {
    database.close();
  }
}

/** The knowledge of one database: schema, example rows, and for a question the matching cell values. */
export function sqlKnowledge(input: KnowledgeSource): TaskKnowledge {
  const options = input.options as {
    rows?: number;
    rowSelection?: 'first' | 'random';
    matchedValues?: number;
  };
  const knowledge = SqlKnowledge.open(requirePath(input.source), {
    rows: options.rows ?? 3,
    rowSelection: options.rowSelection ?? 'random',
    matchedValues: options.matchedValues ?? 10,
  });
  return {
    view({ seed, record }) {
      const question = typeof record?.question === 'string' ? record.question : undefined;
      const view = knowledge.view({ seed, ...(question === undefined ? {} : { question }) });
      return {
        text: view.text,
        variables: { matches: view.matches },
        ...(record
          ? {
              provenance: {
                matchedValues: view.matches.map((match) => `${match.table}.${match.column}=${match.literal}`),
              },
            }
          : {}),
      };
    },
    close: () => knowledge.close(),
  };
}

/** The adaptive condition sampler of one database (hardness, tables, clauses). */
export function sqlConditions(
  source: GenerationSource,
  options: { seed: number; options: Readonly<Record<string, unknown>> },
): ConditionSampler {
  const db = openReadOnly(requirePath(source));
  const schema = (() => {
    try {
      return readSqliteSchema(db);
    } finally {
      db.close();
    }
  })();
  const { hardnessMix, clauseTargets, tableTargets } = options.options as MixOptions;
  const sampler = createSqlConditionSampler(schema, {
    seed: options.seed,
    ...(hardnessMix ? { hardnessMix } : {}),
    ...(clauseTargets ? { clauseTargets } : {}),
    ...(tableTargets ? { tableTargets } : {}),
  });
  return {
    next: () => sampler.next(),
    describe: (condition) => describeCondition(condition as SqlCondition),
    observe: (features) => sampler.observe(features as unknown as SqlFeatures),
    coverage: () => sampler.coverage(),
  };
}

/** Programs-first sampling: SQL drawn from the database's schema and values, each with its question. */
export async function* sampleSql(request: SampleRequest): AsyncGenerator<SampledProgram> {
  const options = request.options as MixOptions & {
    maxRows?: number;
    allowDegenerate?: boolean;
    /**
     * Rewrite each question with a model, kept when it passes the cycle check (`symgen sample
     * --paraphrase`): the model and the parses per paraphrase, or the rewriter itself.
     */
    paraphrase?:
      | ProgramsFirstOptions['paraphrase']
      | { readonly model: LlmProvider; readonly parses?: number };
  };
  const paraphrase =
    typeof options.paraphrase === 'object'
      ? paraphraserOf(options.paraphrase.model, options.paraphrase.parses)
      : options.paraphrase;
  for await (const example of generateProgramsFirst({
    dbPath: requirePath(request.source),
    dbId: request.source.id,
    count: request.count,
    seed: request.seed,
    ...(options.hardnessMix ? { hardnessMix: options.hardnessMix } : {}),
    ...(options.clauseTargets ? { clauseTargets: options.clauseTargets } : {}),
    ...(options.tableTargets ? { tableTargets: options.tableTargets } : {}),
    ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
    ...(options.allowDegenerate ? { allowDegenerate: true } : {}),
    ...(paraphrase ? { paraphrase } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  })) {
    yield {
      id: example.id,
      question: example.question,
      program: example.program,
      fields: {
        canonicalQuestion: example.canonicalQuestion,
        condition: example.condition,
        result: example.result,
      },
      features: { ...example.features },
      provenance: example.provenance,
      executed: true,
    };
  }
}

/** A paraphrase step over `model` for each database (loaded on first use). */
function paraphraserOf(model: LlmProvider, parses?: number): ProgramsFirstOptions['paraphrase'] {
  return async (environment, schema) =>
    (await import('./paraphrase/paraphrase.js')).createParaphraser(model, environment, schema, {
      ...(parses === undefined ? {} : { parses }),
    });
}

/** The database id a SQL record names: `db_id`, or the id after the tab of a plain `SQL<TAB>db_id` line. */
function sqlRecordDatabase(record: Readonly<Record<string, unknown>>): string {
  if (typeof record.db_id === 'string') return record.db_id;
  const tab = typeof record.program === 'string' ? record.program.split('\t')[1] : undefined;
  return tab?.trim() ?? '';
}

function requirePath(source: GenerationSource): string {
  if (!source.path)
    throw new ConfigError('knowledge.db', [
      { path: 'knowledge.db', message: `source ${source.id} is not a database file` },
    ]);
  return source.path;
}

/** What SQL's generation needs, as task parts (`sqlTask` spreads them). */
export const sqlGeneration: Pick<
  Required<TaskExtras>,
  | 'description'
  | 'generation'
  | 'sources'
  | 'knowledge'
  | 'environment'
  | 'conditions'
  | 'sample'
  | 'expand'
  | 'mix'
> = {
  description: 'SQLite queries over read-only databases (Spider, GeoQuery), verified by execution',
  generation: {
    fields: { question: 'question', program: 'query' },
    prompts: sqlPrompts,
    question(text) {
      const found = firstLineQuestion(text);
      // a line of SQL is an answer, not a question
      return found && /^(select|with|insert|update|delete)\b/i.test(found.question) ? null : found;
    },
  },
  sources: sqlSources,
  knowledge: sqlKnowledge,
  // the record's database: its `db_id` (Spider's plain gold lines: the id after a tab)
  environment: (record, source) => source ?? { id: sqlRecordDatabase(record) },
  conditions: sqlConditions,
  sample: sampleSql,
  // offline generation from demonstrations: their grammar expanded over each database
  // (loaded on first use: verify never needs the grammar)
  expand: async function* (request) {
    yield* (await import('./grammar/from-demonstrations.js')).expandSqlDemonstrations(request);
  },
  mix: sqlMix,
};

import { z } from 'zod';
import { llmConfigSchema } from '../llm/config.js';
import { DEFAULT_TASK } from '../tasks/registry/load-builtin-task.js';
import { verifyOptionsSchema } from '../verify/options-schema.js';

/** Sampling parameters of one generation stage (`gen_q` or `gen_a`), each field defaulting per stage. */
function samplingSchema(defaults: { n: number; temperature: number; maxTokens: number; logprobs: boolean }) {
  return z
    .strictObject({
      /** Samples per prompt (SymGen: 20). */
      n: z.int().min(1).max(256).default(defaults.n).describe('Samples per prompt (SymGen: 20).'),
      temperature: z.number().min(0).max(2).default(defaults.temperature),
      topP: z.number().gt(0).max(1).optional(),
      maxTokens: z.int().positive().default(defaults.maxTokens),
      /** Ask for token log-probabilities (used to break ties inside a vote group). */
      logprobs: z
        .boolean()
        .default(defaults.logprobs)
        .describe('Ask for token log-probabilities (used to break ties inside a vote group).'),
    })
    .default(defaults);
}

/** Sampling parameters of one stage. */
export const samplingConfigSchema = samplingSchema({
  n: 20,
  temperature: 0.8,
  maxTokens: 256,
  logprobs: false,
});
export type SamplingConfig = z.infer<typeof samplingConfigSchema>;

/** A chat prompt template in Jinja syntax (nunjucks): an optional system message and the user message. */
export const templateConfigSchema = z.strictObject({
  system: z.string().optional(),
  user: z.string().min(1),
});
export type TemplateConfig = z.infer<typeof templateConfigSchema>;

const hardnessMixSchema = z.strictObject({
  easy: z.number().nonnegative().optional(),
  medium: z.number().nonnegative().optional(),
  hard: z.number().nonnegative().optional(),
  extra: z.number().nonnegative().optional(),
});

/**
 * Where the symbolic knowledge comes from. For sql: one SQLite file or a folder of them (Spider
 * layout); other tasks need none (their knowledge comes from the demonstrations and questions).
 */
export const knowledgeConfigSchema = z.strictObject({
  /** sql: a `.sqlite` file, or a folder of `<db_id>.sqlite` / `<db_id>/<db_id>.sqlite` files. */
  db: z
    .string()
    .min(1)
    .optional()
    .describe('sql: a .sqlite file, or a folder of <db_id>.sqlite / <db_id>/<db_id>.sqlite files.'),
  /** Only these sources (database ids of a folder). @default every database in the folder */
  databases: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Only these sources (database ids of a folder).'),
  /** Questions for each source (database), overriding the even split of `count`. */
  quotas: z
    .record(z.string(), z.int().nonnegative())
    .optional()
    .describe('Questions for each source (database), overriding the even split of count.'),
  /** Example rows shown per table. @default 3 */
  rows: z.int().nonnegative().default(3).describe('Example rows shown per table.'),
  /** `first` rows or a seeded `random` sample of each table. @default 'random' */
  rowSelection: z
    .enum(['first', 'random'])
    .default('random')
    .describe('first rows or a seeded random sample of each table.'),
  /** Most cell values matching the question shown in the answer prompt (0 turns matching off). @default 10 */
  matchedValues: z
    .int()
    .nonnegative()
    .default(10)
    .describe('Most cell values matching the question shown in the answer prompt (0 turns matching off).'),
});

/**
 * Human demonstrations: a JSONL file in the benchmark's own format (the task knows its field
 * names: MBPP `text`/`code`/`test_list`, NL2Bash `nl`/`bash`, ...), and how to pick `k` per prompt.
 */
export const demonstrationsConfigSchema = z.strictObject({
  file: z.string().min(1),
  /** Demonstrations per prompt. @default 4 */
  k: z.int().nonnegative().default(4).describe('Demonstrations per prompt.'),
  /** How `gen_a` picks them for a question: `random`, `bm25` or `embedding` similarity. @default 'random' */
  selection: z
    .enum(['random', 'bm25', 'embedding'])
    .default('random')
    .describe('How gen_a picks them for a question: random, bm25 or embedding similarity.'),
  /** The question's field, when the file does not use the task's own. @default the task's */
  questionField: z
    .string()
    .optional()
    .describe("The question's field, when the file does not use the task's own."),
  /** The program's field, when the file does not use the task's own. @default the task's */
  programField: z
    .string()
    .optional()
    .describe("The program's field, when the file does not use the task's own."),
  /** Prefer demonstrations of the same `db_id` when the file has them. @default true */
  sameDatabase: z
    .boolean()
    .default(true)
    .describe('Prefer demonstrations of the same db_id when the file has them.'),
});

/** Parameters of the two generation stages and the question filter. */
export const generationConfigSchema = z.strictObject({
  genQ: samplingSchema({ n: 20, temperature: 0.8, maxTokens: 64, logprobs: false }),
  genA: samplingSchema({ n: 20, temperature: 0.8, maxTokens: 256, logprobs: true }),
  /** Questions outside this many words are dropped. @default the task's (3 to 40 for most) */
  questionWords: z
    .strictObject({ min: z.int().min(1).default(3), max: z.int().min(1).default(40) })
    .refine((range) => range.min <= range.max, 'min must not exceed max')
    .optional()
    .describe("Questions outside this many words are dropped (default: the task's, 3 to 40 for most)."),
  /**
   * Sample a condition per `gen_q` prompt, for tasks that have conditions (sql: hardness, tables,
   * clauses), toward a target mix: measured on the demonstrations by default, or on `reference`; each
   * part can be set here. `enabled: false` reproduces SymGen (demonstrations only, no condition in the prompt).
   */
  conditions: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Where the target mix comes from. @default 'demonstrations' (Spider dev's mix without demonstrations) */
      target: z
        .enum(['demonstrations', 'reference', 'spider'])
        .default('demonstrations')
        .describe(
          "Where the target mix comes from: the demonstrations (default), a reference file, or Spider dev's mix; parts set below override it.",
        ),
      /** A JSONL dataset whose programs' mix is the target (`target: reference`). */
      reference: z
        .string()
        .min(1)
        .optional()
        .describe(
          'A JSONL dataset (question + query/program) whose mix is the target; implies target: reference.',
        ),
      /** Target share of each hardness level. */
      hardnessMix: hardnessMixSchema.optional(),
      /** Target share of programs using each clause (`where`, `join`, `group-by`, `order-by`, ...). */
      clauseTargets: z
        .record(z.string(), z.number().min(0).max(1))
        .optional()
        .describe(
          'Target share of programs using each clause (where, join, group-by, order-by, ...), 0 to 1.',
        ),
      /** Target share of programs reading each table. */
      tableTargets: z
        .record(z.string(), z.number().min(0).max(1))
        .optional()
        .describe('Target share of programs reading each table, 0 to 1.'),
    })
    .default({ enabled: true, target: 'demonstrations' }),
  /**
   * The offline generator (no model): `grammar` expands a grammar induced from the demonstrations
   * (programs-first fills what it cannot); `programs-first` samples programs from the schema only.
   */
  offline: z
    .strictObject({
      method: z
        .enum(['grammar', 'programs-first'])
        .default('grammar')
        .describe(
          'grammar: expand a grammar induced from the demonstrations, programs-first filling the rest (needs demonstrations); programs-first: programs sampled from the schema.',
        ),
      beyond: z
        .number()
        .min(0)
        .max(1)
        .default(0.7)
        .describe(
          "grammar: the share of pairs from symgen's built-in question shapes (an attribute of one thing, the things in another, how many, the largest, the one with the most, those over a number, those next to one) instantiated on the schema, beyond what the demonstrations show; 0 keeps to the demonstrations. Without demonstrations, any share above 0 lets the built-in shapes make all they can before programs-first.",
        ),
    })
    .default({ method: 'grammar', beyond: 0.7 }),
  /** `gen_q` prompts per round; conditions adapt between rounds. @default 8 */
  promptsPerRound: z
    .int()
    .positive()
    .default(8)
    .describe('gen_q prompts per round; conditions adapt between rounds.'),
  /** A database stops after this many prompts in a row gave no new question. @default 3 */
  maxIdlePrompts: z
    .int()
    .positive()
    .default(3)
    .describe('A database stops after this many prompts in a row gave no new question.'),
  /** Questions whose candidates are generated and verified at once. @default 16 */
  concurrency: z
    .int()
    .positive()
    .default(16)
    .describe('Questions whose candidates are generated and verified at once.'),
  /** Drop generated questions equal to a demonstration's. @default true */
  dropDemonstrationQuestions: z
    .boolean()
    .default(true)
    .describe("Drop generated questions equal to a demonstration's."),
});

/** What the run writes besides `dataset.jsonl`, `rejected.jsonl`, `stats.json` and `run.sqlite`. */
export const outputConfigSchema = z.strictObject({
  /** The run directory. */
  dir: z.string().min(1).describe('The run directory.'),
  /** Extra exports written at the end of the run. */
  formats: z
    .array(z.enum(['parquet', 'chat']))
    .default([])
    .describe('Extra exports written at the end of the run.'),
});

/** The whole `symgen generate` configuration (YAML file merged with flags). */
export const generateConfigSchema = z.strictObject({
  /** Editors' JSON Schema reference; ignored. */
  $schema: z.string().optional().describe("Editors' JSON Schema reference; ignored."),
  /** The task: sql, python, math, bash, top, qdmr, or the id of `taskModule`. @default 'sql' */
  task: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected a task id such as sql, python, math, bash, top, qdmr')
    .default(DEFAULT_TASK)
    .describe('The task: sql, python, math, bash, top, qdmr, or the id of taskModule.'),
  /** A JavaScript module exporting a user-defined task (docs/tasks.md); `task` is then its id. */
  taskModule: z
    .string()
    .min(1)
    .optional()
    .describe('A JavaScript module exporting a user-defined task (docs/tasks.md); task is then its id.'),
  /** Options of the task's executor (bash: `execute`, `fixture`); sql reads `verify`. */
  taskOptions: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("Options of the task's executor (bash: execute, fixture); sql reads verify."),
  /** Seed of every sampler (rows, demonstrations, conditions, programs-first). @default 0 */
  seed: z
    .int()
    .nonnegative()
    .default(0)
    .describe('Seed of every sampler (rows, demonstrations, conditions, programs-first).'),
  /** Questions (examples, accepted plus rejected) to generate over all databases. @default 100 */
  count: z
    .int()
    .positive()
    .default(100)
    .describe('Questions (examples, accepted plus rejected) to generate over all databases.'),
  knowledge: knowledgeConfigSchema.default(() => knowledgeConfigSchema.parse({})),
  demonstrations: demonstrationsConfigSchema.optional(),
  prompts: z
    .strictObject({ genQ: templateConfigSchema.optional(), genA: templateConfigSchema.optional() })
    .default({}),
  generation: generationConfigSchema.default(() => generationConfigSchema.parse({})),
  verify: verifyOptionsSchema.default(() => verifyOptionsSchema.parse({})),
  /** Most the run may spend; checked before each request, a resume may raise it. */
  budget: z
    .strictObject({
      maxCostUsd: z
        .number()
        .positive()
        .optional()
        .describe('US dollars, priced from the price table (llm.prices over the defaults).'),
      maxTokens: z.int().positive().optional().describe('Prompt plus completion tokens.'),
    })
    .default({})
    .describe('Most the run may spend; checked before each request, a resume may raise it.'),
  /** The model. Without it, tasks with a sampler (sql, math) run the offline programs-first generator. */
  llm: llmConfigSchema
    .optional()
    .describe(
      'The model. Without it, tasks with a sampler (sql, math) run the offline programs-first generator.',
    ),
  output: outputConfigSchema,
});

export type GenerateConfigInput = z.input<typeof generateConfigSchema>;
export type GenerateConfig = z.output<typeof generateConfigSchema>;

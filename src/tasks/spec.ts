/**
 * The task plugin contract: what a symbolic language must provide so symgen can verify, dedup and
 * evaluate programs written in it. Types only; implementations live in sibling folders (`sql/`, ...).
 */

import type { VerifySummary } from '../verify/summary.js';
import type { TaskVerifyFileRequest } from '../verify/verify-task-file.js';

/** How one execution of one program ended. Results are data, never exceptions. */
export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'refused' | 'crash';

/** The outcome of executing one program in one environment (for SQL: one database). */
export interface ExecutionResult {
  readonly status: ExecutionStatus;
  /**
   * A canonical key of the result: two programs whose results are equal under the task's comparison
   * have equal keys. Present only when `status` is `ok`.
   */
  readonly key?: string;
  /** A short, human-readable preview of the result (for SQL: the first rows). */
  readonly preview?: unknown;
  /** Size of the result (for SQL: the row count). */
  readonly size?: number;
  /** Why it failed, one line, when `status` is not `ok`. */
  readonly error?: string;
  /** The program as the executor canonicalised it with a real parser, when it parsed. */
  readonly normalised?: string;
  readonly durationMs: number;
}

/** Where a program runs: the task decides what an environment is (for SQL, a database file). */
export interface ExecutionEnvironment {
  /** Identifier of the environment, e.g. a Spider `db_id`. */
  readonly id: string;
  /** Path to the resource the program runs against, when there is one. */
  readonly path?: string;
  /** Task-specific data of the example the program runs for (tests, inputs, a fixture), when there is some. */
  readonly data?: unknown;
}

/** Options of one execution. */
export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  /** The task's `normalise(program)`, when the caller has it already: saves computing it again. */
  readonly normalised?: string;
}

/** Executes programs of one task. Implementations own their processes and caches. */
export interface Executor {
  /** Execute one program; resolves with a result (failures included), rejects only if the executor is unusable. */
  execute(
    program: string,
    environment: ExecutionEnvironment,
    options?: ExecuteOptions,
  ): Promise<ExecutionResult>;
  /** Stop every process the executor started. Safe to call twice. */
  close(): Promise<void>;
}

/** A symbolic-language task plugin. */
export interface Task<Options = unknown> {
  /** The task's name on the command line (`--task sql`). */
  readonly id: string;
  /** Pull the program out of model text (code fences, prose, continuations). `null` when there is none. */
  extract(text: string): string | null;
  /** A cheap canonical text form: equal forms are the same program (used for dedup before execution). */
  normalise(program: string): string;
  /**
   * `extract` then `normalise` in one pass, when the task can share the work (SQL tokenizes once).
   * Must give the same answer as the two calls.
   */
  prepare?(text: string): { program: string; normalised: string } | null;
  /** Create an executor for this task. */
  createExecutor(options?: Options): Executor;
  /** Structural features of a program (for SQL: hardness, clauses, tables), for curation and evaluation. */
  features?(program: string): Record<string, unknown>;
  /**
   * Whether a predicted result counts as the gold result in evaluation, when the task's rule depends
   * on the gold (SQL: rows in order when the gold orders more than one row, else as multisets).
   * Default: both are `ok` and their keys are equal.
   */
  matches?(predicted: ExecutionResult, gold: ExecutionResult): boolean;
  /**
   * A static check of a program that ran in `environment`: a flag when the program is suspect even
   * though it runs (for SQL, `type-trap`: a TEXT column holding numbers compared or ordered as text).
   * A flagged candidate cannot win the vote; when it would have won, the example is rejected with the
   * flag's reason unless unflagged candidates win on their own.
   */
  check?(program: string, environment: ExecutionEnvironment): { reason: string; detail: string } | undefined;
}

/**
 * One input record of a task, as read from JSONL: the fields a dataset or a verify line carries
 * (`question`, `tests`, `inputs`, `db_id`, ...). Tasks read the fields they know and ignore the rest.
 */
export type TaskRecord = Readonly<Record<string, unknown>>;

/** What a gold record expects, for `symgen evaluate`: a program to execute, or a result key given directly. */
export type TaskReference =
  | { readonly program: string; readonly key?: undefined; readonly display?: string }
  | { readonly key: string; readonly program?: undefined; readonly display: string };

/**
 * A sanity check of one result group: a probe program run in the same environment, and whether its
 * result (beside the group's own) shows a flaw. The check's `name` is the reason a question is
 * rejected with when no flawless group is left.
 */
export interface ResultCheck {
  readonly name: string;
  readonly probe: string;
  flawed(probe: ExecutionResult, result: ExecutionResult): boolean;
}

/**
 * Optional parts of a task plugin beyond `Task`. The generation parts (`generation`, `knowledge`,
 * `sources`, `conditions`, `sample`, `describe`) are what `symgen generate` and `symgen sample` call;
 * `environment` and `reference` are what verify and evaluate call. See docs/tasks.md.
 */
export interface TaskExtras {
  /** One line: what the programs of this task are, shown in `--help` and prompts. */
  readonly description?: string;
  /** Load what the task needs before its first use (SQL: the WebAssembly parser behind `features`). */
  ready?(): Promise<void>;
  /** What generation needs of the task: its benchmark's field names, default prompts, question parsing. */
  readonly generation?: TaskGeneration;
  /**
   * Where the programs of a run execute and what prompts know about: SQL, one source per database
   * of `--db`; Bash, the fixture when executing. Default: one source named by the task id.
   * Throws a `ConfigError` when a setting the task needs is missing (SQL without `--db`).
   */
  sources?(options: SourceOptions): GenerationSource[];
  /**
   * The symbolic knowledge prompts carry, opened once per source (SQL: the schema, example rows and
   * the cell values matching a question; Python: the problem's tests; TOP: the intents and slots of
   * the demonstrations). Without it, prompts carry no knowledge.
   */
  knowledge?(source: KnowledgeSource): TaskKnowledge;
  /**
   * The environment one example's candidates run in, built from its record (for Python: its tests
   * and shared inputs; for SQL: the record's database, among the sources). `source` is the source
   * the record was generated for, when there is one. Default: the source, else `{ id: String(record.id) }`.
   */
  environment?(record: TaskRecord, source?: GenerationSource): ExecutionEnvironment;
  /** What a gold record expects, for evaluation. `null` when the record holds no gold. */
  reference?(record: TaskRecord): TaskReference | null;
  /**
   * How `symgen evaluate` breaks accuracy down beside the whole: by this feature of the gold program
   * (`features`), in these levels, and by environment (SQL: Spider's `hardness`, and by database).
   * Without it, evaluation reports the whole only.
   */
  readonly breakdown?: { readonly feature: string; readonly levels: readonly string[] };
  /** What evaluation calls its accuracy (Python, judged by tests: `pass@1`). Default `accuracy`. */
  readonly accuracyName?: string;
  /**
   * How the built-in task model (`symgen evaluate --train`) reads and writes this task's programs:
   * tokens in which a value the question may hold is its own words, so the model can copy them (SQL:
   * `'new york'` as `'`, `new`, `york`, `'`). Default: the words of each line, line breaks and
   * indentation kept (docs/tasks.md).
   */
  readonly modelTokens?: ProgramTokens;
  /**
   * Conditions of `gen_q` prompts (dataset-wise decomposition: SQL draws hardness, tables and
   * clauses, and asks more for what was produced less). Opened once per source.
   */
  conditions?(source: GenerationSource, options: ConditionOptions): ConditionSampler;
  /**
   * Draw programs without a model (programs-first generation), each with its question when the
   * sampler writes one; seeded: the same request gives the same sequence. Tasks with a sampler
   * generate offline when no model is configured.
   */
  sample?(request: SampleRequest): AsyncIterable<SampledProgram>;
  /**
   * Offline generation from the run's demonstrations, before the sampler fills the rest (SQL: a
   * grammar induced from the pairs that apply to the source's database, expanded with its other
   * values, columns and tables). Seeded: the same request gives the same sequence. Called when a
   * run has no model, has demonstrations and asks for it (`generation.offline.method: grammar`).
   */
  expand?(request: ExpandRequest): AsyncIterable<ExpandedExample>;
  /**
   * The mix of program features a run aims at and curate re-weights toward (SQL: Spider hardness
   * levels, clauses, tables). Stages pass its values around without reading them.
   */
  readonly mix?: TaskMix;
  /**
   * The program's tokens, for the n-gram diversity of a dataset's programs and for schema coverage
   * (`symgen evaluate --dataset`; SQL: its lexer's tokens, string literals whole). Default: words,
   * numbers, quoted strings and single symbols.
   */
  tokens?(program: string): readonly string[];
  /**
   * The named parts of a source programs read, for coverage in `symgen evaluate --dataset` and the
   * report (SQL: a database's tables and their columns). Without it, coverage is not measured.
   */
  schema?(source: GenerationSource): SourceSchema;
  /** Describe a program in words (the question of a sampled program that has none). */
  describe?(program: string): string;
  /**
   * The program's shape: its normal form with literals replaced (curate weights an example by how
   * rare its shape is). Default: the normal form.
   */
  template?(program: string): string;
  /**
   * Neighbour environments for test-suite verification (`--test-suite K`): `size` environments
   * derived from `environment`, built with the candidates' `programs` in view (for SQL: databases with
   * the same schema whose values sit next to the programs' literals), kept under `dir`. Candidates then
   * group by their results on the original and on every neighbour, so programs must give equal
   * results on each neighbour exactly when they are equivalent. Synchronous, and the same inputs must
   * give the same environments.
   */
  testSuite?(
    environment: ExecutionEnvironment & { sha256?: string },
    programs: readonly string[],
    options: { readonly size: number; readonly dir?: string | undefined },
  ): ExecutionEnvironment[];
  /**
   * Sanity checks of a result group, given its representative program (for SQL: a LIMIT cutting
   * through a tie, duplicate rows in a list of entities, COUNT(x) against COUNT(DISTINCT x)). With
   * `checks` on, a flawless group wins, or the question is rejected with the flaw's name.
   */
  checks?(program: string, environment?: ExecutionEnvironment): readonly ResultCheck[];
  /**
   * A result group's score in the vote, when it is more than its votes: groups are ranked by it
   * (then by votes) and a tie is a tie of scores; `minVotes` still counts votes. Python: CodeT's
   * dual agreement, programs x generated asserts they pass, for groups keyed by the asserts passed.
   */
  score?(key: string, votes: number): number;
  /**
   * The task's own verifier of whole files, which `verifyTaskFile` (and so `symgen verify`) hands the
   * checked request to instead of running its per-example stream. It must write the bytes the stream
   * would write, faster: SQL's runs statements on worker threads in C (tasks/sql/verify-threads/).
   * Leave it out unless the generic path is too slow for the task.
   */
  verifyFile?(request: TaskVerifyFileRequest): Promise<VerifySummary>;
}

/** A program as the built-in task model's tokens, and back. */
export interface ProgramTokens {
  encode(program: string): string[];
  /** The program of tokens `encode` gave (whitespace may differ where the language ignores it). */
  decode(tokens: readonly string[]): string;
}

/** What a source holds that programs read (SQL: tables and their columns), for coverage. */
export interface SourceSchema {
  readonly tables: readonly {
    readonly name: string;
    readonly columns: readonly { readonly name: string }[];
  }[];
}

/** A chat prompt template in Jinja syntax (nunjucks): an optional system message and the user message. */
export interface PromptText {
  readonly system?: string;
  readonly user: string;
}

/**
 * Generation parts of a task.
 *
 * Template variables: `gen_q`: `knowledge`, `demonstrations` (`question`, `program`, `record`),
 * `condition` (words, or empty), `source` (and `db_id`, the same). `gen_a`: the same without
 * `condition`, plus `question` and the knowledge view's own variables (SQL: `matches`).
 * `relabel` and `judge`: `knowledge`, `question`, `program`.
 */
export interface TaskGeneration {
  /** The benchmark's own field names of a demonstration line (NL2Bash: `nl` / `bash`). */
  readonly fields: { readonly question: string; readonly program: string };
  /** Default prompts (after SymGen's per-task prompt builders). */
  readonly prompts: {
    readonly genQ: PromptText;
    readonly genA: PromptText;
    /** Asks an auxiliary model whether a program answers a question (curate). */
    readonly relabel?: PromptText;
    /** Asks a judge model whether a program answers a question (evaluate). */
    readonly judge?: PromptText;
  };
  /** Questions outside this many words are dropped (default 3 to 40; GSM8K problems are longer). */
  readonly questionWords?: { readonly min: number; readonly max: number };
  /**
   * A demonstration from a line of the benchmark (MBPP: the problem and its tests as the question).
   * Default: the two `fields`. `null` for a line that is not usable.
   */
  demonstration?(record: TaskRecord): { question: string; program: string } | null;
  /**
   * The question in a `gen_q` sample, and the task fields it carries (MBPP: `text`, `test_list`).
   * Must give the same answer again on its own `question` (the stored question is parsed again to
   * build the record). `words`: the text whose words the length filter counts (default: the question).
   * Default: the first line, without a `Question:` prefix, numbering or quotes.
   */
  question?(text: string): GeneratedQuestion | null;
  /**
   * The task's own fields of a dataset line, from its question fields, program and verification
   * (SQL: `query`; MBPP: `code`; GSM8K: `answer`). Default: the program under `fields.program`.
   */
  datasetFields?(line: DatasetLine): Record<string, unknown>;
}

/** A question parsed from model text. */
export interface GeneratedQuestion {
  readonly question: string;
  /** Task fields the question carries (MBPP: `text`, `test_list`), copied to the record and the dataset line. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The text the length filter counts the words of. Default: `question`. */
  readonly words?: string;
}

/** A decided dataset line before the task adds its own fields. */
export interface DatasetLine {
  readonly question: string;
  readonly program: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** The winning result group, when the verifier gave one (`key`, `preview`, `size`). */
  readonly result?: { readonly key?: string; readonly preview?: unknown; readonly size?: number };
}

/** Settings of a run that decide its sources. */
export interface SourceOptions {
  /** `--db`: a SQLite file or a folder of them. */
  readonly db?: string;
  /** Only these source ids (a folder's database ids). */
  readonly only?: readonly string[];
  /**
   * Refuse a source nothing can be generated from (SQL: a database with no tables) with an
   * `InputError`, instead of listing it (symgen sample reports and skips it).
   */
  readonly strict?: boolean;
  /** The executor options of the run (Bash: `execute`, `fixture`). */
  readonly executor: Readonly<Record<string, unknown>>;
}

/** One source of a run: an execution environment, with a fingerprint when it is a file. */
export interface GenerationSource extends ExecutionEnvironment {
  /** SHA-256 of the source's file, so a reader can tell it is the same one. */
  readonly sha256?: string;
}

/** What a task's knowledge is opened over. */
export interface KnowledgeSource {
  readonly source: GenerationSource;
  /** The demonstration lines of the run, as read (TOP reads its label inventory from them). */
  readonly demonstrations: readonly TaskRecord[];
  /** The run's `knowledge` settings (SQL: `rows`, `rowSelection`, `matchedValues`). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The executor options of the run (Bash: `execute`, `fixture`). */
  readonly executor: Readonly<Record<string, unknown>>;
}

/** The knowledge of one source, rendered per prompt. */
export interface TaskKnowledge {
  /**
   * The knowledge one prompt shows: for `gen_q` (no `record`), or for the question `record`
   * (`gen_a`, relabel, judge). `seed` drives any sampling (SQL's example rows).
   */
  view(request: { readonly seed: number; readonly record?: TaskRecord }): KnowledgeView;
  close?(): void;
}

/** What a prompt shows of a source. */
export interface KnowledgeView {
  /** The `knowledge` template variable. */
  readonly text: string;
  /** More template variables (SQL: `matches`). */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Recorded in the line's `gen_a` provenance (SQL: `matchedValues`). */
  readonly provenance?: Readonly<Record<string, unknown>>;
}

/** Options of a condition sampler. */
export interface ConditionOptions {
  readonly seed: number;
  /** The run's condition settings (SQL: `hardnessMix`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Draws `gen_q` conditions and adapts them to what was produced. */
export interface ConditionSampler {
  next(): unknown;
  /** A condition in words, for the prompt. */
  describe(condition: unknown): string;
  /** An accepted program's features (`task.features`). */
  observe(features: Record<string, unknown>): void;
  /** What was produced against the targets, for `stats.json`. */
  coverage(): unknown;
}

/** What programs-first sampling draws from. */
export interface SampleRequest {
  readonly source: GenerationSource;
  readonly seed: number;
  /** About how many programs are wanted (a sampler may stop sooner when it runs out). */
  readonly count: number;
  /** Task settings (SQL: `hardnessMix`, `maxRows`, `allowDegenerate`). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

/** One program drawn without a model. */
export interface SampledProgram {
  readonly program: string;
  /** Its question, when the sampler writes one; else the task's `describe` does. */
  readonly question?: string;
  /** A stable id, when the sampler gives one. */
  readonly id?: string;
  /** More fields of the dataset line (SQL: `canonicalQuestion`, `condition`, `result`). */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly features?: Readonly<Record<string, unknown>>;
  readonly provenance?: Readonly<Record<string, unknown>>;
  /** True when the sampler ran the program already (SQL runs each on its database); else the pipeline executes it. */
  readonly executed?: boolean;
}

/** A task plugin with its optional parts: what the registry, `symgen verify` and `symgen evaluate` take. */
export type TaskPlugin<Options = unknown> = Task<Options> & TaskExtras;

/** A demonstration as generation reads it: its question and program, and its source when it names one. */
export interface DemonstrationPair {
  /** `<file name>:<line>` unless the line has an `id`. */
  readonly id: string;
  readonly question: string;
  readonly program: string;
  /** The source (SQL: database) the demonstration belongs to. */
  readonly dbId?: string | undefined;
}

/** What offline generation from demonstrations draws from. */
export interface ExpandRequest {
  readonly source: GenerationSource;
  readonly demonstrations: readonly DemonstrationPair[];
  /** At most this many examples. */
  readonly count: number;
  readonly seed: number;
  /** The mix the examples should follow (the task's `mix` shares), when the run has a target. */
  readonly target?: MixShares;
  /**
   * The share of examples a task may make from its own built-in patterns (SQL: common question shapes
   * instantiated on the schema) beyond what the demonstrations show; 0 keeps to the demonstrations.
   */
  readonly beyond?: number;
  readonly signal?: AbortSignal;
}

/** One example made from the demonstrations, decided already (it ran and passed the task's checks). */
export interface ExpandedExample {
  readonly id: string;
  readonly question: string;
  readonly program: string;
  readonly features: Readonly<Record<string, unknown>>;
  /** The program's result as the dataset line shows it. */
  readonly result: unknown;
  readonly provenance: Readonly<Record<string, unknown>>;
}

/** A mix of program features: shares the task defines (SQL: `hardness`, `clauses`, `tables`). */
export type MixShares = object;

/** A target mix and where it came from (`demonstrations`, `reference PATH`, a default, `config`). */
export interface ResolvedMix {
  readonly source: string;
  readonly target: MixShares;
}

/** The mix part of a task: measure, compare and aim at mixes of program features. */
export interface TaskMix {
  /**
   * The target of a run from its settings (`generation.conditions`: a reference file, parts set by
   * hand) and its demonstrations; `forSource` gives one source's own target when its demonstrations
   * give one, else the overall one.
   */
  target(
    settings: Readonly<Record<string, unknown>>,
    demonstrations: readonly DemonstrationPair[] | undefined,
  ): Promise<ResolvedMix & { forSource(sourceId: string): ResolvedMix }>;
  /** The mix of programs, from their `features` (each counted with its weight, 1 by default). */
  measure(features: readonly Readonly<Record<string, unknown>>[], weights?: readonly number[]): MixShares;
  /** How far `produced` is from `target`, one number (0: equal) per part of the mix. */
  divergence(target: MixShares, produced: MixShares): Readonly<Record<string, number>>;
  /** Factors (same order as `features`) that bring the weighted mix of `features` to `target`. */
  weights(
    features: readonly Readonly<Record<string, unknown>>[],
    target: MixShares,
    options?: { readonly parts?: readonly string[]; readonly maxFactor?: number },
  ): number[];
  /**
   * The mix the rest of `quota` should have for the whole to reach `target`, given the `features` of
   * the examples made so far (offline generation aims its sampler at what the expansion left missing).
   */
  remaining?(target: MixShares, made: readonly Readonly<Record<string, unknown>>[], quota: number): MixShares;
  /** The condition and sampler options that aim at `target` (SQL: `hardnessMix`, `clauseTargets`, `tableTargets`). */
  aim(target: MixShares): Readonly<Record<string, unknown>>;
  /** A mix written on the command line (`symgen sample --mix`), as sampler options; throws a one-line `SymgenError` when it is malformed. */
  parse(text: string): Readonly<Record<string, unknown>>;
}

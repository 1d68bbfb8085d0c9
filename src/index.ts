// biome-ignore-all assist/source/organizeImports: the public API in groups, in the order of the pipeline
/**
 * symgen's public API, in groups: tasks (the plugin contract and the built-in languages), the
 * stages (verify, generate, curate, evaluate, report, store and export), then what the stages stand
 * on (models, the sandbox, files, errors). Internals (result-key constants, reference
 * implementations kept for tests, thread pools) stay inside their folders. Fakes for tests and the
 * task contract suite are in `symgen/testing`.
 */

// ── Tasks: the plugin contract every language implements (docs/tasks.md) ──────────────────────
export type {
  ExecuteOptions,
  ExecutionEnvironment,
  ExecutionResult,
  ExecutionStatus,
  Executor,
  Task,
  TaskExtras,
  TaskPlugin,
  TaskRecord,
  TaskReference,
} from './tasks/spec.js';
export { createStructuralExecutor, type StructuralCheck } from './tasks/structural-executor.js';

// The task registry: built-in tasks by id, user-defined task modules (`--task-module`).
export {
  BUILTIN_TASK_IDS,
  builtinTasks,
  createTaskRegistry,
  loadBuiltinTask,
  loadTaskModule,
  type TaskRegistry,
  taskPluginSchema,
} from './tasks/registry/index.js';

// SQL (SQLite): the task, its databases, schema, features, executor and fast file verifier.
export {
  type DatabaseEnvironment,
  DatabaseSet,
  extractSql,
  HARDNESS_LEVELS,
  type Hardness,
  loadSqlParser,
  normaliseSql,
  openReadOnly,
  parseSql,
  quoteIdentifier,
  readSqliteSchema,
  type SqlColumn,
  type SqlFeatures,
  type SqlForeignKey,
  type SqlSchema,
  type SqlTable,
  sampleTableRows,
  sqlFeatures,
  sqlTask,
  type VerifyFileOptions,
  verifySqlFile,
} from './tasks/sql/index.js';
export {
  type CompareMode,
  guardAvailable,
  type SqlExecutionResult,
  SqliteExecutor,
  type SqliteExecutorOptions,
  type SqliteExecutorStats,
} from './tasks/sql/execute/index.js';
export { sqlTemplate } from './tasks/sql/template.js';

// Python (MBPP functions, run in the process sandbox).
export {
  createPythonExecutor,
  extractPython,
  normalisePython,
  type PythonEnvironmentData,
  type PythonExecutorOptions,
  pythonEnvironment,
  pythonFeatures,
  pythonTask,
} from './tasks/python/index.js';

// Math (GSM8K programs of thought, run in the process sandbox).
export {
  createMathExecutor,
  describeMathProgram,
  goldAnswer,
  mathTask,
  numericKey,
  parseAnswerNumber,
  programFromRationale,
  sampleMathProgram,
} from './tasks/math/index.js';

// Bash (NL2Bash: the mvdan/sh parser; optional execution in the sandbox).
export {
  type BashExecutorOptions,
  bashTask,
  createBashExecutor,
  extractBash,
  normaliseBash,
  parseShell,
  printShell,
} from './tasks/bash/index.js';

// TOP (MTOP semantic parses) and QDMR (Break decompositions): agreement on normal forms.
export {
  canonicalTop,
  describeTop,
  extractTop,
  normaliseTop,
  parseTop,
  printTop,
  type TopNode,
  type TopTaskOptions,
  topTask,
} from './tasks/top/index.js';
export {
  extractQdmr,
  normaliseQdmr,
  parseQdmr,
  printQdmr,
  type QdmrStep,
  qdmrTask,
} from './tasks/qdmr/index.js';

// ── Verify: execute candidates, group them by result, vote (one path for every task) ───────────
export {
  type CheckedInput,
  type Cluster,
  checkVerifyInput,
  parseMinVotes,
  parseVerifyOptions,
  type TaskVerifyFileRequest,
  type VerifiedRecord,
  type VerifyCandidate,
  type VerifyInput,
  type VerifyOptions,
  type VerifySummary,
  type VerifyTaskFileOptions,
  type VoteDecision,
  type VoteOptions,
  verifierProvenance,
  verifyExample,
  verifyExampleSync,
  verifyOptionsSchema,
  verifyStream,
  verifyTaskFile,
  vote,
} from './verify/index.js';

// ── Generate: configuration, informative prompts, the SymGen pipeline, programs-first ──────────
export {
  type ConfigOverrides,
  type GenerateConfig,
  type GenerateConfigInput,
  generateConfigJsonSchema,
  generateConfigSchema,
  loadGenerateConfig,
  parseGenerateConfig,
} from './config/index.js';
export {
  buildBm25Index,
  compilePromptTemplate,
  createDemonstrationSelector,
  type Demonstration,
  type DemonstrationSelector,
  defaultGenATemplate,
  defaultGenQTemplate,
  loadDemonstrations,
  type PromptTemplate,
  promptHash,
  SqlKnowledge,
  type SqlKnowledgeOptions,
  type ValueMatch,
} from './prompt/index.js';
export {
  type GenerateOptions,
  type GenerateProgress,
  type GenerateSummary,
  QuestionFilter,
  runGenerate,
} from './generate/pipeline/index.js';
// Conditions: the dataset-wise decomposition (what to ask for next).
export {
  type ConditionCoverage,
  createSqlConditionSampler,
  DEFAULT_HARDNESS_MIX,
  describeCondition,
  parseHardnessMix,
  type SqlCondition,
  type SqlConditionSampler,
  type SqlConditionSamplerOptions,
} from './tasks/sql/conditions/index.js';
// Programs-first: the sample-wise decomposition (program, then question), offline.
export {
  createParaphraser,
  type ParaphraseOptions,
  type ParaphraseRecord,
  type Paraphraser,
} from './tasks/sql/paraphrase/paraphrase.js';
export {
  type DatabaseProfile,
  generateProgramsFirst,
  inferJoins,
  type JoinEdge,
  type Program,
  type ProgramRejection,
  type ProgramsFirstExample,
  type ProgramsFirstOptions,
  profileDatabase,
  realiseQuestion,
  renderSql,
} from './tasks/sql/programs-first/index.js';
// The one seeded random generator every stage draws from.
export { createRandom, type Random, seededRandom } from './random.js';

// ── Curate, evaluate, report ─────────────────────────────────────────────────────────────────
export { type Dataset, type DatasetExample, readDataset, toDatasetExample } from './dataset/index.js';
export {
  ContaminationIndex,
  type ContaminationMatch,
  type CuratedExample,
  type CurateFileOptions,
  type CurateOptions,
  type CurateResult,
  type CurateSummary,
  computeWeights,
  curateExamples,
  curateFile,
  curateOptionsSchema,
  type DroppedExample,
  findNearDuplicates,
  type MinHashOptions,
  NearDuplicateIndex,
  parseRelabelAnswer,
  readBenchmarks,
  type RelabelVerdict,
  relabelExample,
  wordShingles,
} from './curate/index.js';
export {
  type DatasetEvaluateOptions,
  type DatasetEvaluation,
  type DatasetMetrics,
  evaluateDataset,
  evaluateSql,
  evaluateTask,
  type Faithfulness,
  formatDatasetEvaluation,
  formatEvaluationTable,
  formatTaskEvaluation,
  type JudgeSummary,
  judgeExamples,
  meanPairwiseCosine,
  type ProgramDiversity,
  withModelPredictions,
  programDiversity,
  type SqlEvaluation,
  selfBleu,
  type TaskEvaluatedExample,
  type TaskEvaluateOptions,
  type TaskEvaluation,
  type TextDiversity,
  textDiversity,
} from './evaluate/index.js';
// The built-in task model (a small pointer-generator transformer) for `symgen evaluate --train`.
export {
  TaskModel,
  type TaskModelOptions,
  type TrainAndScoreOptions,
  type TrainAndScoreResult,
  type TrainingPair,
  type TrainStats,
  trainAndScore,
} from './model/index.js';
export {
  type ReportData,
  type ReportOptions,
  readRunData,
  renderReport,
  writeReport,
} from './report/index.js';
// review web app (issue 18)
export { type ReviewServer, type ReviewServerOptions, RunTask, startReviewServer } from './review/index.js';

// ── Store and export: the run directory (run.sqlite, dataset.jsonl, ...) and its exports ───────
export {
  type ExportFormat,
  type ExportOptions,
  exportRun,
  type PreferencePair,
  preferencePairs,
  RUN_FILES,
  RunReviews,
  type RunStats,
  RunStore,
  type StoredReview,
  toChatLine,
  writeHfDataset,
  writeParquet,
  writeReviewedOutputs,
} from './store/index.js';

// ── Models: every LLM behind one provider interface, with cache, usage and scheduler ──────────
export * from './llm/index.js';

// ── The process sandbox: untrusted Python and Bash under bubblewrap ─────────────────────────
export {
  type BashCandidate,
  type BashResult,
  defaultSandboxLimits,
  type FileEntry,
  type FixtureFile,
  type FixtureLimits,
  fileStateKey,
  openProcessSandbox,
  type ProcessSandbox,
  type ProcessSandboxOptions,
  type PythonCandidate,
  prepareSandboxHost,
  readFixtureDirectory,
  resolveSandboxLimits,
  runBash,
  runPython,
  type SandboxHost,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResult,
  type SandboxStatus,
  type TestOutcome,
} from './sandbox/index.js';

// ── Files and errors ─────────────────────────────────────────────────────────────────────────
export { countLines, type JsonlLine, readJsonl, writeLinesAtomically } from './io/index.js';
export {
  ApiCallError,
  CircuitOpenError,
  ConfigError,
  type ConfigIssue,
  DatabaseError,
  InputError,
  ModelLoadError,
  RequestTimeoutError,
  RetryError,
  type RetryErrorReason,
  SandboxError,
  SymgenError,
  zodIssues,
} from './errors/index.js';

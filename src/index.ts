// errors
// llm

// generate: config, informative prompt, pipeline, run store and exports (issue 4)
export {
  type ConfigOverrides,
  type GenerateConfig,
  type GenerateConfigInput,
  generateConfigJsonSchema,
  generateConfigSchema,
  loadGenerateConfig,
  parseGenerateConfig,
} from './config/index.js';
// datasets, curation, dataset evaluation, the built-in task model and the report (issue 7)
export {
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
  findNearDuplicatesNaive,
  type MinHashOptions,
  NearDuplicateIndex,
  parseRelabelAnswer,
  type RelabelVerdict,
  relabelExample,
  wordShingles,
} from './curate/index.js';
export { type Dataset, type DatasetExample, readDataset, toDatasetExample } from './dataset/index.js';
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
} from './errors/index.js';
// evaluate
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
  predictWithModel,
  programDiversity,
  type SqlEvaluation,
  selfBleu,
  type TaskEvaluatedExample,
  type TaskEvaluateOptions,
  type TaskEvaluation,
  type TextDiversity,
  textDiversity,
} from './evaluate/index.js';
export {
  createParaphraser,
  type ParaphraseOptions,
  type ParaphraseRecord,
  type Paraphraser,
} from './generate/paraphrase/paraphrase.js';
export {
  type GenerateOptions,
  type GenerateProgress,
  type GenerateSummary,
  QuestionFilter,
  runGenerate,
} from './generate/pipeline/index.js';
// io
export { countLines, type JsonlLine, readJsonl, writeLinesAtomically } from './io/index.js';
export * from './llm/index.js';
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
  type ReportData,
  type ReportOptions,
  readRunData,
  renderReport,
  writeReport,
} from './report/index.js';
// sandbox (process)
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
} from './sandbox/index.js';
// sql task and its executor
export {
  type CompareMode,
  cellKey,
  FLOAT_DIGITS,
  GUARD_EXTENSION_PATH,
  guardAvailable,
  resolveSqliteLimits,
  type SqlExecutionResult,
  SqliteExecutor,
  type SqliteExecutorOptions,
  type SqliteExecutorStats,
  SqliteRunner,
} from './sandbox/sqlite/index.js';
export {
  type ExportFormat,
  type ExportOptions,
  exportRun,
  RUN_FILES,
  type RunStats,
  RunStore,
  toChatLine,
  writeParquet,
} from './store/index.js';
// bash task (mvdan/sh parser; optional execution in the sandbox)
export {
  type BashExecutorOptions,
  bashCommands,
  bashTask,
  bashTreeKey,
  checkBash,
  createBashExecutor,
  extractBash,
  normaliseBash,
  parseShell,
  printShell,
} from './tasks/bash/index.js';
// math task (program-of-thought, runs in the process sandbox)
export {
  ANSWER_DIGITS,
  createMathExecutor,
  describeMathProgram,
  goldAnswer,
  mathTask,
  numericKey,
  parseAnswerNumber,
  programFromRationale,
  sampleMathProgram,
} from './tasks/math/index.js';
// python task (runs in the process sandbox)
export {
  callsInText,
  createPythonExecutor,
  extractPython,
  MAX_SHARED_INPUTS,
  normalisePython,
  type PythonEnvironmentData,
  type PythonExecutorOptions,
  pythonEnvironment,
  pythonFeatures,
  pythonTask,
} from './tasks/python/index.js';
// qdmr task (agreement on normal forms)
export {
  extractQdmr,
  normaliseQdmr,
  parseQdmr,
  printQdmr,
  type QdmrStep,
  qdmrOperator,
  qdmrTask,
  renumberQdmr,
} from './tasks/qdmr/index.js';
// task registry and user-defined task modules
export {
  builtinTasks,
  createTaskRegistry,
  loadTaskModule,
  type TaskRegistry,
  taskPluginSchema,
} from './tasks/registry/index.js';
// task plugin contract (with its optional parts)
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
// generate: conditions (dataset-wise decomposition) and offline programs-first generation
export {
  type ConditionCoverage,
  createRandom,
  createSqlConditionSampler,
  DEFAULT_HARDNESS_MIX,
  describeCondition,
  parseHardnessMix,
  type Random,
  type SqlCondition,
  type SqlConditionSampler,
  type SqlConditionSamplerOptions,
} from './tasks/sql/conditions/index.js';
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
} from './tasks/sql/index.js';
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
export { sqlTemplate } from './tasks/sql/template.js';
export { createStructuralExecutor, type StructuralCheck } from './tasks/structural-executor.js';
// top task (agreement on normal forms)
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
// verify
export {
  type CheckedInput,
  type Cluster,
  checkVerifyInput,
  parseMinVotes,
  parseVerifyOptions,
  type VerifiedRecord,
  type VerifyCandidate,
  type VerifyInput,
  type VerifyOptions,
  type VerifySummary,
  type VerifyTaskFileOptions,
  type VoteDecision,
  type VoteOptions,
  verifyExample,
  verifyExampleSync,
  verifySqlFile,
  verifyStream,
  verifyTaskFile,
  vote,
} from './verify/index.js';

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
  type Faithfulness,
  formatDatasetEvaluation,
  formatEvaluationTable,
  type JudgeSummary,
  judgeExamples,
  meanPairwiseCosine,
  type ProgramDiversity,
  predictWithModel,
  programDiversity,
  type SqlEvaluation,
  selfBleu,
  type TextDiversity,
  textDiversity,
} from './evaluate/index.js';
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
} from './generate/conditions/index.js';
export {
  type GenerateOptions,
  type GenerateProgress,
  type GenerateSummary,
  QuestionFilter,
  runGenerate,
} from './generate/pipeline/index.js';
export {
  createParaphraser,
  type DatabaseProfile,
  generateProgramsFirst,
  inferJoins,
  type JoinEdge,
  type ParaphraseOptions,
  type ParaphraseRecord,
  type Paraphraser,
  type Program,
  type ProgramRejection,
  type ProgramsFirstExample,
  type ProgramsFirstOptions,
  profileDatabase,
  realiseQuestion,
  renderSql,
} from './generate/programs-first/index.js';
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
  type SqlExecutionResult,
  SqliteExecutor,
  type SqliteExecutorOptions,
  type SqliteExecutorStats,
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
// task plugin contract
export type { ExecutionEnvironment, ExecutionResult, ExecutionStatus, Executor, Task } from './tasks/spec.js';
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
export { sqlTemplate } from './tasks/sql/template.js';
// verify
export {
  type Cluster,
  parseMinVotes,
  parseVerifyOptions,
  type VerifiedRecord,
  type VerifyOptions,
  type VerifySummary,
  type VoteDecision,
  type VoteOptions,
  verifyExample,
  verifySqlFile,
  verifyStream,
  vote,
} from './verify/index.js';

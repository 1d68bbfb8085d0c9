import type { GenerateConfig } from '../../config/index.js';
import type { Llm } from '../../llm/create-llm.js';
import type { DemonstrationSelector } from '../../prompt/demonstrations/index.js';
import type { PromptTemplate } from '../../prompt/prompt-template.js';
import type { RunStore } from '../../store/run-store.js';
import type {
  ConditionSampler,
  GenerationSource,
  TaskKnowledge,
  TaskPlugin,
  TaskRecord,
} from '../../tasks/spec.js';
import type { VerifyContext } from '../../verify/verify-stream.js';
import type { ProgressTracker } from './progress.js';
import type { QuestionParser } from './question-text.js';

/** Everything the LLM stages share during one session. Passed explicitly; there is no global run. */
export interface LlmRunContext {
  readonly config: GenerateConfig;
  readonly store: RunStore;
  readonly llm: Llm;
  /** The task: every language-specific step goes through it. */
  readonly task: TaskPlugin<never>;
  /** The verifier's task, executor and options for a source; one per source and session so its memo is shared. */
  verify(sourceId: string): VerifyContext;
  /** The run's sources by id (sql: its databases; other tasks: one). */
  readonly sources: ReadonlyMap<string, GenerationSource>;
  readonly quotas: ReadonlyMap<string, number>;
  /** Knowledge of a source, opened on first use. */
  knowledge(sourceId: string): TaskKnowledge;
  readonly selector: DemonstrationSelector | undefined;
  /** Normalised demonstration questions (generated copies of them are dropped). */
  readonly demonstrationKeys: ReadonlySet<string>;
  readonly templates: { readonly genQ: PromptTemplate; readonly genA: PromptTemplate };
  /** The condition sampler of a source, when the task has conditions and they are on. */
  conditions(sourceId: string): ConditionSampler | undefined;
  /** How a `gen_q` sample's question is read, and how many words it may have. */
  readonly question: { readonly parse: QuestionParser; readonly words: { min: number; max: number } };
  /** The record of a stored question: the question and the task fields it carries (MBPP's tests). */
  questionRecord(question: string): TaskRecord;
  readonly progress: ProgressTracker;
  readonly signal: AbortSignal | undefined;
  /** Rewrites the run's output files from the store (after each round, so a killed run keeps them current). */
  readonly checkpoint?: () => Promise<void>;
  /** Where one-line notices of the run go (most samples of a stage cut off, ...). */
  readonly notify?: (message: string) => void;
}

import type { GenerateConfig } from '../../config/index.js';
import type { Llm } from '../../llm/create-llm.js';
import type { DemonstrationSelector } from '../../prompt/demonstrations/index.js';
import type { PromptTemplate } from '../../prompt/prompt-template.js';
import type { SqlKnowledge } from '../../prompt/sql-knowledge.js';
import type { RunStore } from '../../store/run-store.js';
import type { DatabaseEnvironment } from '../../tasks/sql/databases.js';
import type { VerifyContext } from '../../verify/verify-stream.js';
import type { SqlConditionSampler } from '../conditions/index.js';
import type { ProgressTracker } from './progress.js';

/** Everything the LLM stages share during one session. Passed explicitly; there is no global run. */
export interface LlmRunContext {
  readonly config: GenerateConfig;
  readonly store: RunStore;
  readonly llm: Llm;
  /** The verifier's task, executor and options; one per session so its memo is shared. */
  readonly verify: VerifyContext;
  readonly databases: ReadonlyMap<string, DatabaseEnvironment>;
  readonly quotas: ReadonlyMap<string, number>;
  /** Knowledge of a database, opened on first use. */
  knowledge(dbId: string): SqlKnowledge;
  readonly selector: DemonstrationSelector | undefined;
  /** Normalised demonstration questions (generated copies of them are dropped). */
  readonly demonstrationKeys: ReadonlySet<string>;
  readonly templates: { readonly genQ: PromptTemplate; readonly genA: PromptTemplate };
  /** The condition sampler of a database, when conditions are on. */
  sampler(dbId: string): SqlConditionSampler | undefined;
  readonly progress: ProgressTracker;
  readonly signal: AbortSignal | undefined;
  /** Rewrites the run's output files from the store (after each round, so a killed run keeps them current). */
  readonly checkpoint?: () => Promise<void>;
  /** Where one-line notices of the run go (most samples of a stage cut off, ...). */
  readonly notify?: (message: string) => void;
}

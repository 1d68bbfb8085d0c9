import { sqlPrompts } from '../tasks/sql/prompts.js';

/** SQL's default `gen_q` prompt (each task has its own: `task.generation.prompts`). */
export const defaultGenQTemplate = sqlPrompts.genQ;

/** SQL's default `gen_a` prompt (each task has its own: `task.generation.prompts`). */
export const defaultGenATemplate = sqlPrompts.genA;

import type { DatasetExample } from '../dataset/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { compilePromptTemplate, type PromptTemplate } from '../prompt/prompt-template.js';
import { defaultTask } from '../tasks/registry/index.js';
import { checkPrompts } from '../tasks/shared/check-prompts.js';
import type { TaskPlugin } from '../tasks/spec.js';

/** What the auxiliary model said about one example. */
export type RelabelVerdict =
  | { readonly verdict: 'correct' }
  | { readonly verdict: 'corrected'; readonly program: string }
  | { readonly verdict: 'wrong' }
  | { readonly verdict: 'no-verdict'; readonly text: string }
  | { readonly verdict: 'error'; readonly error: string };

/** What relabelling needs: the model and, optionally, the task's knowledge of an example and a check of a correction. */
export interface RelabelContext {
  readonly model: LlmProvider;
  /** The task of the programs: its relabel prompt and its extraction of a correction. @default sql */
  readonly task?: TaskPlugin<never>;
  /** The task's knowledge of an example (sql: its database's CREATE TABLE statements), when known. */
  readonly knowledge?: (example: DatasetExample) => string | undefined;
  /** Accept a corrected program only when this resolves true (e.g. it executes). */
  readonly checkProgram?: (program: string, example: DatasetExample) => Promise<boolean>;
  readonly signal?: AbortSignal;
}

const templates = new WeakMap<object, PromptTemplate>();

/** The task's relabel prompt (its own, else the generic one), compiled once per task. */
function relabelTemplate(task: TaskPlugin<never>): PromptTemplate {
  let template = templates.get(task);
  if (!template) {
    template = compilePromptTemplate(
      task.generation?.prompts.relabel ?? checkPrompts('program', '').relabel,
      `task ${task.id}: generation.prompts.relabel`,
    );
    templates.set(task, template);
  }
  return template;
}

/** The messages sent to the auxiliary model for one example: the task's relabel prompt. */
export function relabelPrompt(
  example: DatasetExample,
  knowledge: string | undefined,
  task: TaskPlugin<never> = defaultTask(),
) {
  return relabelTemplate(task).render({
    knowledge: knowledge ?? '',
    question: example.question,
    program: example.program,
  });
}

/** Parse the model's answer into a verdict (never throws: an unreadable answer is data). */
export function parseRelabelAnswer(
  text: string,
  extract: (text: string) => string | null = defaultTask().extract,
): RelabelVerdict {
  const match = /VERDICT\s*:\s*\**\s*(correct|wrong|incorrect)/i.exec(text);
  if (!match) return { verdict: 'no-verdict', text: text.slice(0, 200) };
  if (match[1]!.toLowerCase() === 'correct') return { verdict: 'correct' };
  const rest = text.slice(match.index + match[0].length);
  const program = /```/.test(rest) ? extract(rest) : null;
  return program ? { verdict: 'corrected', program } : { verdict: 'wrong' };
}

/**
 * Ask the auxiliary model about one example (one sample at temperature 0). A corrected program is
 * kept only when `checkProgram` accepts it; otherwise the verdict becomes `wrong`. Provider errors
 * are returned as an `error` verdict so one failed call never stops curation.
 */
export async function relabelExample(
  example: DatasetExample,
  context: RelabelContext,
): Promise<RelabelVerdict> {
  const task = context.task ?? defaultTask();
  let text: string;
  try {
    const result = await context.model.doGenerate(
      {
        messages: relabelPrompt(example, context.knowledge?.(example), task),
        n: 1,
        temperature: 0,
        maxTokens: 400,
      },
      { signal: context.signal },
    );
    text = result.samples[0]?.text ?? '';
  } catch (error) {
    return { verdict: 'error', error: (error as Error).message.split('\n')[0]! };
  }
  const verdict = parseRelabelAnswer(text, task.extract);
  if (verdict.verdict === 'corrected' && context.checkProgram) {
    const ok = await context.checkProgram(verdict.program, example);
    if (!ok) return { verdict: 'wrong' };
  }
  return verdict;
}

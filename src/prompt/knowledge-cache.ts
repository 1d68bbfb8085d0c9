import type { GenerationSource, TaskKnowledge, TaskPlugin, TaskRecord } from '../tasks/spec.js';

/** The knowledge of each source of a run, opened once on first use through the task's `knowledge`. */
export interface KnowledgeCache {
  /** The source's knowledge (an empty view when the task has none). */
  of(source: GenerationSource): TaskKnowledge;
  /** Closes every knowledge opened. */
  close(): void;
}

const NONE: TaskKnowledge = { view: () => ({ text: '' }) };

/**
 * Knowledge settings that show what a source is and nothing drawn for a question (SQL: the schema,
 * no example rows, no matched values), for prompts about a program already written: curate's
 * relabel, evaluate's judge, the chat export.
 */
export const PLAIN_KNOWLEDGE = { rows: 0, rowSelection: 'first', matchedValues: 0 } as const;

/**
 * Opens a task's knowledge per source on first use, with the run's knowledge `options` (SQL: `rows`,
 * `rowSelection`, `matchedValues`), executor options, and demonstrations (TOP reads its labels from
 * them): what generate, curate's relabel and evaluate's judge and zero-shot prompts show.
 */
export function createKnowledgeCache(
  task: Pick<TaskPlugin<never>, 'knowledge'>,
  settings: {
    readonly options: Readonly<Record<string, unknown>>;
    readonly executor?: Readonly<Record<string, unknown>>;
    readonly demonstrations?: readonly TaskRecord[];
  },
): KnowledgeCache {
  const opened = new Map<string, TaskKnowledge>();
  return {
    of(source) {
      let knowledge = opened.get(source.id);
      if (!knowledge) {
        knowledge =
          task.knowledge?.({
            source,
            demonstrations: settings.demonstrations ?? [],
            options: settings.options,
            executor: settings.executor ?? {},
          }) ?? NONE;
        opened.set(source.id, knowledge);
      }
      return knowledge;
    },
    close() {
      for (const knowledge of opened.values()) knowledge.close?.();
      opened.clear();
    },
  };
}

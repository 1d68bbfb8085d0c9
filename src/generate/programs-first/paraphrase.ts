import type { LlmProvider } from '../../llm/spec.js';
import type { DatabaseEnvironment } from '../../tasks/sql/databases.js';
import type { SqlSchema } from '../../tasks/sql/schema.js';

/** Placeholder replaced in the next step. */
export function createParaphraser(_llm: LlmProvider, _environment: DatabaseEnvironment, _schema: SqlSchema) {
  return {
    async paraphrase(
      question: string,
      _sql: string,
      _signal?: AbortSignal,
    ): Promise<{ question: string | null; record: unknown }> {
      return { question, record: undefined };
    },
    async close(): Promise<void> {},
  };
}

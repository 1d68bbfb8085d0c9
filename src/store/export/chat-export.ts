import type { DatasetRow } from './dataset-rows.js';

/** One line of the chat fine-tuning format (OpenAI, Together, Fireworks, ... accept it). */
export interface ChatLine {
  readonly messages: readonly [
    { role: 'system'; content: string },
    { role: 'user'; content: string },
    { role: 'assistant'; content: string },
  ];
}

/** The system message of the chat export. */
export const CHAT_SYSTEM_MESSAGE =
  'You translate questions into SQLite queries over the given database. Answer with the query only.';

/**
 * A dataset row as `{"messages": [system, user, assistant]}`: the user message holds the database's
 * CREATE TABLE statements (from `schemaOf(db_id)`) and the question, the assistant message the program.
 */
export function toChatLine(row: DatasetRow, schemaOf: (dbId: string) => string): ChatLine {
  const schema = schemaOf(row.dbId);
  return {
    messages: [
      { role: 'system', content: CHAT_SYSTEM_MESSAGE },
      { role: 'user', content: `${schema ? `${schema}\n\n` : ''}-- Question: ${row.question}` },
      { role: 'assistant', content: row.program },
    ],
  };
}

import type { DatasetRow } from './dataset-rows.js';

/** One line of the chat fine-tuning format (OpenAI, Together, Fireworks, ... accept it). */
export interface ChatLine {
  readonly messages: readonly [
    { role: 'system'; content: string },
    { role: 'user'; content: string },
    { role: 'assistant'; content: string },
  ];
}

/**
 * A dataset row as `{"messages": [system, user, assistant]}`: the system message is the task's
 * answer instruction, the user message holds the task's knowledge of the example (sql: its
 * database's CREATE TABLE statements) and the question, the assistant message the program.
 */
export function toChatLine(row: DatasetRow, system: string, knowledge: string): ChatLine {
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: `${knowledge ? `${knowledge}\n\n` : ''}Question: ${row.question}` },
      { role: 'assistant', content: row.program },
    ],
  };
}

import type { LlmProvider } from '../llm/spec.js';
import { extractSql } from '../tasks/sql/extract.js';
import type { ProgramLine } from './predictions.js';

/** The zero-shot prompt that asks a model for the SQL of one question. */
export function predictionPrompt(question: string, schema: string | undefined): string {
  return [
    'Write one SQLite query that answers the question. Reply with the query only, in a ```sql code block.',
    ...(schema ? ['', 'Database schema:', schema] : []),
    '',
    `Question: ${question}`,
  ].join('\n');
}

/**
 * Ask a model reached through the provider layer for the program of every gold question (one
 * sample at temperature 0 each, concurrency left to the scheduler). A failed call or an answer with
 * no SQL gives an empty prediction, which scores as wrong: one bad answer is data.
 */
export async function predictWithModel(
  gold: readonly ProgramLine[],
  model: LlmProvider,
  schema?: (dbId: string | undefined) => string | undefined,
): Promise<{ programs: string[]; failed: number }> {
  let failed = 0;
  const programs = await Promise.all(
    gold.map(async (entry) => {
      try {
        const result = await model.doGenerate({
          messages: [{ role: 'user', content: predictionPrompt(entry.question ?? '', schema?.(entry.dbId)) }],
          n: 1,
          temperature: 0,
          maxTokens: 300,
        });
        return extractSql(result.samples[0]?.text ?? '') ?? '';
      } catch {
        // Counted below; the example scores as wrong rather than stopping the evaluation.
        failed++;
        return '';
      }
    }),
  );
  return { programs, failed };
}

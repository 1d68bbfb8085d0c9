import type { DatasetExample } from '../dataset/index.js';
import type { LlmProvider } from '../llm/spec.js';
import { extractSql } from '../tasks/sql/extract.js';

/** What the auxiliary model said about one example. */
export type RelabelVerdict =
  | { readonly verdict: 'correct' }
  | { readonly verdict: 'corrected'; readonly program: string }
  | { readonly verdict: 'wrong' }
  | { readonly verdict: 'no-verdict'; readonly text: string }
  | { readonly verdict: 'error'; readonly error: string };

/** What relabelling needs: the model and, optionally, the schema text and a check of a correction. */
export interface RelabelContext {
  readonly model: LlmProvider;
  /** Schema text for the example's database (CREATE TABLE statements), when known. */
  readonly schema?: (dbId: string | undefined) => string | undefined;
  /** Accept a corrected program only when this resolves true (e.g. it executes). */
  readonly checkProgram?: (program: string, dbId: string | undefined) => Promise<boolean>;
  readonly signal?: AbortSignal;
}

/** The prompt sent to the auxiliary model for one example. */
export function relabelPrompt(example: DatasetExample, schema: string | undefined): string {
  return [
    'You check text-to-SQL training data. Decide whether the SQL query answers the question exactly.',
    ...(schema ? ['', 'Database schema:', schema] : []),
    '',
    `Question: ${example.question}`,
    `SQL: ${example.program}`,
    '',
    'Answer on the first line with "VERDICT: correct" or "VERDICT: wrong".',
    'If wrong and you can fix it, put the corrected query after it in a ```sql code block.',
  ].join('\n');
}

/** Parse the model's answer into a verdict (never throws: an unreadable answer is data). */
export function parseRelabelAnswer(text: string): RelabelVerdict {
  const match = /VERDICT\s*:\s*\**\s*(correct|wrong|incorrect)/i.exec(text);
  if (!match) return { verdict: 'no-verdict', text: text.slice(0, 200) };
  if (match[1]!.toLowerCase() === 'correct') return { verdict: 'correct' };
  const rest = text.slice(match.index + match[0].length);
  const program = /```/.test(rest) ? extractSql(rest) : null;
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
  let text: string;
  try {
    const result = await context.model.doGenerate(
      {
        messages: [{ role: 'user', content: relabelPrompt(example, context.schema?.(example.dbId)) }],
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
  const verdict = parseRelabelAnswer(text);
  if (verdict.verdict === 'corrected' && context.checkProgram) {
    const ok = await context.checkProgram(verdict.program, example.dbId);
    if (!ok) return { verdict: 'wrong' };
  }
  return verdict;
}

import type { DatasetExample } from '../dataset/index.js';
import type { LlmMessage, LlmProvider } from '../llm/spec.js';
import { sampleOf } from './sample.js';

/** LLM-as-judge scores on a sample of examples. */
export interface JudgeSummary {
  readonly model: string;
  readonly sampled: number;
  readonly yes: number;
  readonly no: number;
  /** Answers with no YES/NO, and failed calls. */
  readonly unclear: number;
  /** yes / (yes + no). */
  readonly score: number;
  /** Per example: id and verdict, for a person to look at the disagreements. */
  readonly verdicts: { id: string; verdict: 'yes' | 'no' | 'unclear' }[];
}

/** The judge's prompt for one example. */
export function judgePrompt(example: DatasetExample, schema: string | undefined): string {
  return [
    'You grade text-to-SQL training pairs. Does the SQL query return exactly what the question asks for?',
    ...(schema ? ['', 'Database schema:', schema] : []),
    '',
    `Question: ${example.question}`,
    `SQL: ${example.program}`,
    '',
    'Answer YES or NO on the first line, then one sentence of reason.',
  ].join('\n');
}

/** Read YES/NO from a judge's answer: the first of the two words that appears. */
export function parseJudgeAnswer(text: string): 'yes' | 'no' | 'unclear' {
  const match = /\b(yes|no)\b/i.exec(text);
  return match ? (match[1]!.toLowerCase() as 'yes' | 'no') : 'unclear';
}

/**
 * Faithfulness by an auxiliary model: a seeded sample of examples, each judged once at
 * temperature 0. A failed call counts as `unclear` (one bad row is data).
 */
export async function judgeExamples(
  examples: readonly DatasetExample[],
  model: LlmProvider,
  options: {
    sample?: number;
    seed?: number;
    schema?: (dbId: string | undefined) => string | undefined;
    /** The messages for one example (the task's judge prompt); default: {@link judgePrompt} with `schema`. */
    messages?: (example: DatasetExample) => LlmMessage[];
  } = {},
): Promise<JudgeSummary> {
  const chosen = sampleOf(examples, options.sample ?? 50, options.seed ?? 1);
  const verdicts = await Promise.all(
    chosen.map(async (example) => {
      try {
        const result = await model.doGenerate({
          messages: options.messages?.(example) ?? [
            { role: 'user', content: judgePrompt(example, options.schema?.(example.dbId)) },
          ],
          n: 1,
          temperature: 0,
          maxTokens: 100,
        });
        return { id: example.id, verdict: parseJudgeAnswer(result.samples[0]?.text ?? '') };
      } catch {
        // A failed call is one unclear verdict, not a failed evaluation.
        return { id: example.id, verdict: 'unclear' as const };
      }
    }),
  );
  const yes = verdicts.filter((entry) => entry.verdict === 'yes').length;
  const no = verdicts.filter((entry) => entry.verdict === 'no').length;
  return {
    model: model.modelId,
    sampled: chosen.length,
    yes,
    no,
    unclear: chosen.length - yes - no,
    score: yes + no === 0 ? 0 : yes / (yes + no),
    verdicts,
  };
}

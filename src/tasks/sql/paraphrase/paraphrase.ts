import type { LlmProvider, LlmRequest } from '../../../llm/spec.js';
import { type SampleOutcome, vote } from '../../../verify/vote.js';
import type { DatabaseEnvironment } from '../databases.js';
import { type SqlExecutionResult, SqliteExecutor } from '../execute/index.js';
import { extractSql } from '../extract.js';
import { normaliseSql } from '../normalise.js';
import type { SqlSchema } from '../schema.js';

/** Settings of the paraphrase step and its cycle check. */
export interface ParaphraseOptions {
  /** Paraphrases asked for per question (one request, `n` samples). @default 3 */
  candidates?: number;
  /** Parses back to SQL per paraphrase (one request, `n` samples). @default 5 */
  parses?: number;
  /** Votes the agreeing parse needs: a count, or a fraction of the parses. @default 0.5 */
  minVotes?: number;
  /** @default 0.9 */
  paraphraseTemperature?: number;
  /** @default 0.7 */
  parseTemperature?: number;
}

/** What the cycle check did with one paraphrase. */
export interface ParaphraseTrial {
  readonly text: string;
  readonly status: 'kept' | 'other-result' | 'no-agreement';
  readonly votes: number;
  readonly total: number;
  /** The program the agreeing parses chose, when there was one. */
  readonly parse?: string;
}

/** Provenance of a paraphrased question (written on the example). */
export interface ParaphraseRecord {
  readonly model: string;
  readonly trials: readonly ParaphraseTrial[];
  readonly kept: string | null;
}

/** Paraphrases canonical questions and keeps only those that parse back to the same result. */
export interface Paraphraser {
  paraphrase(
    question: string,
    program: string,
    signal?: AbortSignal,
  ): Promise<{ question: string | null; record: ParaphraseRecord }>;
  close(): Promise<void>;
}

const PARAPHRASE_SYSTEM =
  'You rewrite questions about a database into natural, fluent English, as a person would ask them. ' +
  'Keep every condition, value, number, ordering and limit; add nothing and drop nothing. ' +
  'Answer with the rewritten question only, on one line.';
const PARSE_SYSTEM =
  'You translate questions into SQLite queries over the given schema. Answer with one SQL query only.';

/**
 * Paraphrase then check by cycle (Overnight's paraphrase step with GAZP's cycle consistency): the
 * model rewrites the canonical question, then parses each rewrite back into SQL several times; the
 * parses are executed in the sandboxed executor and voted on by result (`verify`'s `vote`), and a
 * rewrite is kept only when the agreeing parse returns the original program's result.
 */
export function createParaphraser(
  llm: LlmProvider,
  environment: DatabaseEnvironment,
  schema: SqlSchema,
  options: ParaphraseOptions = {},
): Paraphraser {
  const executor = new SqliteExecutor({ workers: 1 });
  const schemaText = schema.tables
    .map((table) => table.createSql.trim())
    .filter(Boolean)
    .join(';\n');
  const candidates = options.candidates ?? 3;
  const parses = options.parses ?? 5;
  const minVotes = options.minVotes ?? 0.5;

  const ask = async (request: LlmRequest, signal?: AbortSignal) =>
    (await llm.doGenerate(request, signal ? { signal } : {})).samples.map((sample) => sample.text);

  const check = async (
    text: string,
    original: SqlExecutionResult,
    signal?: AbortSignal,
  ): Promise<ParaphraseTrial> => {
    const answers = await ask(
      {
        messages: [
          { role: 'system', content: PARSE_SYSTEM },
          { role: 'user', content: `${schemaText};\n\nQuestion: ${text}\nSQL:` },
        ],
        n: parses,
        temperature: options.parseTemperature ?? 0.7,
      },
      signal,
    );
    const outcomes = await Promise.all(
      answers.map(async (answer): Promise<SampleOutcome & { result?: SqlExecutionResult }> => {
        const program = extractSql(answer);
        if (!program) return { program: null, textKey: null };
        const textKey = normaliseSql(program);
        return {
          program,
          textKey,
          result: await executor.execute(program, environment, { normalised: textKey }),
        };
      }),
    );
    const decision = vote(outcomes, { minVotes, count: 'samples', tie: 'reject', emptyResult: 'keep' });
    const base = {
      text,
      votes: decision.votes,
      total: decision.total,
      ...(decision.program ? { parse: decision.program } : {}),
    };
    if (decision.status !== 'accepted') return { ...base, status: 'no-agreement' };
    const winner = outcomes.find((outcome) => outcome.result?.key === decision.clusters[0]?.key)?.result;
    return { ...base, status: winner && sameResult(winner, original) ? 'kept' : 'other-result' };
  };

  return {
    async paraphrase(question, program, signal) {
      const original = await executor.execute(program, environment);
      const texts = await ask(
        {
          messages: [
            { role: 'system', content: PARAPHRASE_SYSTEM },
            { role: 'user', content: `Question: ${question}\nRewritten question:` },
          ],
          n: candidates,
          temperature: options.paraphraseTemperature ?? 0.9,
        },
        signal,
      );
      const rewrites = [...new Set(texts.map(cleanParaphrase))].filter(
        (text) => text.length > 0 && text.toLowerCase() !== question.toLowerCase(),
      );
      const trials: ParaphraseTrial[] = [];
      for (const text of rewrites) {
        const trial = await check(text, original, signal);
        trials.push(trial);
        if (trial.status === 'kept')
          return { question: text, record: { model: llm.modelId, trials, kept: text } };
      }
      return { question: null, record: { model: llm.modelId, trials, kept: null } };
    },
    close: () => executor.close(),
  };
}

/** Equal results; row order is not asked of a parse (a LIMIT already fixes which rows there are). */
function sameResult(parse: SqlExecutionResult, original: SqlExecutionResult): boolean {
  if (original.status !== 'ok' || parse.status !== 'ok') return false;
  if (parse.key === original.key) return true;
  // An ordered original compared with an unordered parse: the same rows in any order still agree.
  return original.ordered === true && parse.ordered !== true && parse.bagKey === original.bagKey;
}

/** The first line of a model's rewrite, without list markers, labels or quotes. */
export function cleanParaphrase(text: string): string {
  const line =
    text
      .split('\n')
      .map((item) => item.trim())
      .find((item) => item.length > 0) ?? '';
  return line
    .replace(/^(\d+[.)]|[-*•])\s*/, '')
    .replace(/^(rewritten question|question|paraphrase)\s*:\s*/i, '')
    .replace(/^["'“](.*)["'”]$/, '$1')
    .trim();
}

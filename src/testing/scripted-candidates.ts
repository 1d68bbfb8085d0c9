import { createHash } from 'node:crypto';
import type { RecordedRequest, TestServerReply } from './llm-test-server.js';

/** A question the scripted model knows, with the programs it writes for it and how often. */
export interface ScriptedQuestion {
  readonly question: string;
  /** Programs (or any model text) with weights; a sample draws one in proportion to its weight. */
  readonly candidates: readonly { readonly text: string; readonly weight: number }[];
}

/**
 * A scripted OpenAI-compatible chat model for `symgen generate` against `createLlmTestServer`
 * (`respond`): `gen_q` prompts (a system message asking to write questions) get the known questions,
 * `gen_a` prompts (the last `-- Question: ...` line names the question) get candidates drawn from the
 * question's weighted programs. Sample `i` of a request depends only on the question and the seed
 * `seed + i`, which is the provider's seed for sample index `sampleOffset + i`: a sample index means
 * the same candidate whether it was asked for in one request of 20 or in rounds.
 */
export function createScriptedCandidateModel(questions: readonly ScriptedQuestion[]) {
  const byQuestion = new Map(questions.map((entry) => [entry.question, entry]));
  let served = 0;
  return (request: RecordedRequest): TestServerReply | undefined => {
    if (request.path !== '/v1/chat/completions') return undefined;
    const body = request.body as {
      messages: { role: string; content: string }[];
      n?: number;
      seed?: number;
    };
    const n = body.n ?? 1;
    const seed = body.seed ?? 0;
    const system = body.messages[0]?.content ?? '';
    const user = body.messages[body.messages.length - 1]?.content ?? '';
    let texts: string[];
    if (system.includes('write questions')) {
      texts = Array.from({ length: n }, () => questions[served++ % questions.length]!.question);
    } else {
      const asked = [...user.matchAll(/^-- Question: (.*)$/gm)].pop()?.[1] ?? '';
      const entry = byQuestion.get(asked);
      texts = Array.from({ length: n }, (_, index) =>
        entry ? draw(entry, seed + index) : 'I do not know this question.',
      );
    }
    return {
      body: {
        object: 'chat.completion',
        model: 'scripted-model',
        choices: texts.map((text, index) => ({
          index,
          message: { role: 'assistant', content: text },
          finish_reason: 'stop',
          logprobs: null,
        })),
        usage: { prompt_tokens: 100 + Math.ceil(user.length / 4), completion_tokens: 20 * n },
      },
    };
  };
}

function draw(entry: ScriptedQuestion, seed: number): string {
  const total = entry.candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  const u =
    (createHash('sha256').update(`${entry.question}\u0000${seed}`).digest().readUInt32LE(0) / 2 ** 32) *
    total;
  let sum = 0;
  for (const candidate of entry.candidates) {
    sum += candidate.weight;
    if (u < sum) return candidate.text;
  }
  return entry.candidates[entry.candidates.length - 1]!.text;
}

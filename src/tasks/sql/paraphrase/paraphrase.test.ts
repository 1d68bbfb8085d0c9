import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../../../test/shared-data.js';
import { createOpenAICompatible } from '../../../llm/index.js';
import { createLlmTestServer, type LlmTestServer } from '../../../testing/index.js';
import { generateProgramsFirst, type ProgramsFirstExample } from '../programs-first/index.js';
import { cleanParaphrase, createParaphraser, type ParaphraseRecord } from './paraphrase.js';

const chat = (...texts: string[]) => ({
  body: {
    object: 'chat.completion',
    model: 'test-model',
    choices: texts.map((text, index) => ({
      index,
      message: { role: 'assistant', content: text },
      finish_reason: 'stop',
    })),
    usage: { prompt_tokens: 10, completion_tokens: 10 },
  },
});

async function collect(
  options: Parameters<typeof generateProgramsFirst>[0],
): Promise<ProgramsFirstExample[]> {
  const examples: ProgramsFirstExample[] = [];
  for await (const example of generateProgramsFirst(options)) examples.push(example);
  return examples;
}

describe('paraphrase with a cycle check', () => {
  let server: LlmTestServer;
  beforeAll(async () => {
    server = await createLlmTestServer();
  });
  afterAll(() => server.close());

  it('keeps a rewrite only when the agreeing parse returns the original result', async () => {
    // Every scripted reply has exactly n choices: the provider asks again for missing samples.
    // The LLM does not change which programs are drawn: the same seed gives these programs.
    const plain = await collect({ dbPath: GEOGRAPHY_DB, dbId: 'geo', count: 3, seed: 4 });
    const [p0, p1, p2] = plain.map((example) => example.program) as [string, string, string];
    const wrong = 'SELECT count(*) FROM state';
    server.enqueue(
      // example 0: one rewrite; 3 of 5 parses agree on the original result
      chat('1. "A natural rewrite of the first question?"', 'A natural rewrite of the first question?'),
      chat(`\`\`\`sql\n${p0}\n\`\`\``, p0, `${p0};`, wrong, 'I cannot answer that.'),
      // example 1: the first rewrite agrees on another result, the second has no majority: dropped
      chat('Rewrite B1?', 'Rewrite B2?'),
      chat(wrong, wrong, wrong, wrong, p1),
      chat(p1, p1, wrong, 'SELECT max(area) FROM state', 'SELECT min(area) FROM state'),
      // the next program drawn (p2) is kept with its rewrite, written differently but equal in result
      chat('Rewrite C?', 'Rewrite C?'),
      chat(p2.toLowerCase(), p2, p2, p2, p2),
    );
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'test-model' });
    const examples = await collect({
      dbPath: GEOGRAPHY_DB,
      dbId: 'geo',
      count: 2,
      seed: 4,
      paraphrase: async (environment, schema) =>
        createParaphraser(model, environment, schema, { candidates: 2, parses: 5 }),
    });
    expect(examples.map((example) => example.program)).toEqual([p0, p2]);
    expect(examples.map((example) => example.question)).toEqual([
      'A natural rewrite of the first question?',
      'Rewrite C?',
    ]);
    expect(examples[0]!.canonicalQuestion).toBe(plain[0]!.question);
    const first = examples[0]!.provenance.paraphrase as ParaphraseRecord;
    expect(first).toMatchObject({ model: 'test-model', kept: 'A natural rewrite of the first question?' });
    expect(first.trials).toEqual([expect.objectContaining({ status: 'kept', votes: 3, total: 5 })]);
    // 7 requests: paraphrase + parse, paraphrase + 2 parses, paraphrase + parse
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(7);
    const parseRequest = server.requests[1]!.body as { n: number; messages: { content: string }[] };
    expect(parseRequest.n).toBe(5);
    expect(parseRequest.messages[1]!.content).toContain('CREATE TABLE');
    expect(parseRequest.messages[1]!.content).toContain('Question: A natural rewrite of the first question?');
  });

  it('cleans list markers, labels and quotes off a rewrite', () => {
    expect(cleanParaphrase('\n1. "Which rivers cross Texas?"\n2. other')).toBe('Which rivers cross Texas?');
    expect(cleanParaphrase('Rewritten question: How many states are there?')).toBe(
      'How many states are there?',
    );
    expect(cleanParaphrase('- What is the capital of Ohio?')).toBe('What is the capital of Ohio?');
  });
});

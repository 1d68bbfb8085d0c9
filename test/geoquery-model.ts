import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest, TestServerReply } from '../src/testing/index.js';
import { SHARED_DATA } from './shared-data.js';

/** GeoQuery dev questions with their gold SQL (public data, ../shared/data/geoquery-sql). */
export function geoQueryDev(): { question: string; query: string }[] {
  return readFileSync(join(SHARED_DATA, 'geoquery-sql', 'dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { question: string; query: string });
}

/** What the scripted model does with a question's candidates. */
export type ScriptedKind = 'agree' | 'scatter' | 'no-sql';

/** Deterministic kind of a question: most agree on gold, some scatter (no majority), a few give no SQL. */
export function kindOf(question: string): ScriptedKind {
  const value = createHash('sha256').update(question).digest().readUInt32LE(0) % 8;
  return value < 5 ? 'agree' : value < 7 ? 'scatter' : 'no-sql';
}

const WRONG = [
  'SELECT count(*) FROM state',
  'SELECT state_name FROM state WHERE population > 10000000',
  'SELECT city_name FROM city ORDER BY population DESC LIMIT 3',
];

/**
 * A scripted OpenAI-compatible chat model that answers like a model would on GeoQuery: `gen_q`
 * prompts get dev questions (with repeats, near-duplicates, too-short answers and stray SQL among
 * them), `gen_a` prompts get candidate SQL, some right (the gold query, formatted several ways),
 * some wrong (executable with another result, or failing).
 */
export function createGeoQueryModel(pool = geoQueryDev()) {
  const gold = new Map(pool.map((entry) => [entry.question, entry.query]));
  return (request: RecordedRequest): TestServerReply | undefined => {
    if (request.path !== '/v1/chat/completions') return undefined;
    const body = request.body as {
      messages: { role: string; content: string }[];
      n?: number;
      logprobs?: boolean;
      seed?: number;
    };
    const n = body.n ?? 1;
    const system = body.messages[0]?.content ?? '';
    const user = body.messages[body.messages.length - 1]?.content ?? '';
    const start = createHash('sha256').update(user).digest().readUInt32LE(0);
    let texts: string[];
    if (system.includes('write questions')) {
      texts = Array.from({ length: n }, (_, index) => {
        const question = pool[(start + index * 7) % pool.length]!.question;
        if (index % 6 === 5) return 'texas ?';
        if (index % 6 === 4)
          return `Question: ${pool[(start + (index - 1) * 7) % pool.length]!.question.toUpperCase()}?`;
        if (index % 9 === 8) return 'SELECT * FROM state';
        return question;
      });
    } else {
      const asked = [...user.matchAll(/^-- Question: (.*)$/gm)].pop()?.[1] ?? '';
      const query = gold.get(asked) ?? 'SELECT 1';
      const kind = kindOf(asked);
      texts = Array.from({ length: n }, (_, index) => {
        if (kind === 'no-sql') return 'I am not sure how to answer that from these tables.';
        if (kind === 'scatter') {
          if (index % 5 === 4) return 'SELECT population FROM nowhere';
          return index % 5 === 0 ? `\`\`\`sql\n${query}\n\`\`\`` : `\`\`\`sql\n${WRONG[index % 3]}\n\`\`\``;
        }
        if (index % 5 === 3) return `Here is the query:\n\`\`\`sql\n${WRONG[index % 3]}\n\`\`\``;
        if (index % 5 === 4) return '```sql\nSELECT state_nam FROM state\n```';
        return index % 2 === 0 ? `\`\`\`sql\n${query}\n\`\`\`` : `${query.toLowerCase()}`;
      });
    }
    return {
      body: {
        object: 'chat.completion',
        model: 'geo-model',
        choices: texts.map((text, index) => ({
          index,
          message: { role: 'assistant', content: text },
          finish_reason: 'stop',
          logprobs: body.logprobs ? { content: [{ token: 'x', logprob: -0.1 * ((index % 4) + 1) }] } : null,
        })),
        usage: { prompt_tokens: Math.ceil(user.length / 4), completion_tokens: 12 * n },
      },
    };
  };
}

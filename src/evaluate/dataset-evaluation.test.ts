import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, GEOQUERY_TRAIN } from '../../test/shared-data.js';
import { createLlm } from '../llm/index.js';
import { createLlmTestServer, type LlmTestServer } from '../testing/index.js';
import { evaluateDataset } from './dataset-evaluation.js';
import { formatDatasetEvaluation } from './format-dataset-evaluation.js';

const TRAIN = GEOQUERY_TRAIN;

let server: LlmTestServer;
let folder: string;
beforeAll(async () => {
  server = await createLlmTestServer();
  folder = mkdtempSync(join(tmpdir(), 'symgen-evaluate-'));
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const row = (id: number, question: string, program: string, confidence: number, clusters: number) =>
  JSON.stringify({
    id,
    question,
    program,
    db_id: 'geography_db',
    status: 'accepted',
    confidence,
    clusters: Array.from({ length: clusters }, () => ({})),
  });

describe('evaluateDataset', () => {
  it('measures faithfulness, gold accuracy, an LLM judge over HTTP and diversity beside a reference', async () => {
    const dataset = join(folder, 'dataset.jsonl');
    writeFileSync(
      dataset,
      [
        row(
          1,
          'what is the capital of texas',
          "SELECT state.capital FROM state WHERE state.state_name='texas'",
          1,
          1,
        ),
        row(
          2,
          'how many rivers are in colorado',
          "SELECT count(river.river_name) FROM river WHERE river.traverse='colorado'",
          0.55,
          2,
        ),
        row(
          3,
          'what states border kentucky',
          "SELECT border_info.border FROM border_info WHERE border_info.state_name='ohio'",
          0.35,
          3,
        ),
        row(4, 'how many people live in austin', 'SELECT no_such_column FROM city', 0.95, 1),
        JSON.stringify({
          id: 5,
          question: 'which rivers flow',
          status: 'rejected',
          reason: 'below-min-votes',
        }),
        '{broken',
      ].join('\n'),
    );
    const gold = join(folder, 'gold.jsonl');
    writeFileSync(
      gold,
      [
        {
          question: 'What is the capital of Texas?',
          query: "SELECT state.capital FROM state WHERE state.state_name='texas';",
        },
        {
          question: 'what states border kentucky',
          query: "SELECT border_info.border FROM border_info WHERE border_info.state_name='kentucky';",
        },
      ]
        .map((entry) => JSON.stringify(entry))
        .join('\n'),
    );
    const judgeAnswer = (content: string) => ({
      body: {
        object: 'chat.completion',
        model: 'judge',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 2 },
      },
    });
    server.enqueue(
      judgeAnswer('YES, it does.'),
      judgeAnswer('No: wrong state.'),
      judgeAnswer('YES'),
      judgeAnswer('I cannot tell'),
    );
    const judge = createLlm({
      provider: { kind: 'openai-compatible', model: 'judge', baseURL: server.baseURL },
    });

    const evaluation = await evaluateDataset({
      dataset,
      reference: TRAIN,
      db: GEOGRAPHY_DB,
      gold,
      judge: judge.model,
      embeddings: true,
      embeddingSample: 40,
    });
    const { faithfulness, text, programs } = evaluation.dataset;
    expect(faithfulness.examples).toBe(4);
    expect(faithfulness.status).toEqual({ accepted: 4, rejected: 1 });
    expect(faithfulness.rejectReasons).toEqual({ 'below-min-votes': 1 });
    expect(faithfulness.confidence.histogram).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 2]);
    expect(faithfulness.confidence.median).toBeCloseTo(0.75, 10);
    expect(faithfulness.clusters).toEqual({ '1': 2, '2': 1, '3': 1 });
    expect(faithfulness.validity).toEqual({ executed: 4, ok: 3, empty: 0, error: 1 });
    expect(faithfulness.gold).toEqual({ count: 2, correct: 1, accuracy: 0.5 });
    expect(faithfulness.judge).toMatchObject({ model: 'judge', sampled: 4, yes: 2, no: 1, unclear: 1 });
    expect(faithfulness.judge!.score).toBeCloseTo(2 / 3, 10);
    expect(evaluation.dataset.invalidLines).toBe(1);
    expect(text.vocabulary).toBeGreaterThan(10);
    expect(text.embeddingCosine).toBeGreaterThan(0);
    expect(text.embeddingCosine).toBeLessThan(1);
    expect(programs.tables).toBe(4);
    expect(programs.tableCoverage).toBeCloseTo(4 / 7, 10);

    const reference = evaluation.reference!;
    expect(reference.faithfulness.examples).toBe(600);
    expect(reference.programs.tableCoverage).toBe(1);
    expect(reference.programs.hardness.easy).toBeGreaterThan(0.3);
    expect(reference.faithfulness.validity!.ok).toBeGreaterThan(590);
    // the judge saw the schema
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain('CREATE TABLE');
    const table = formatDatasetEvaluation(evaluation);
    expect(table).toMatch(/accuracy vs gold\s+50\.0% of 2/);
    expect(table).toMatch(/LLM judge: yes\s+66\.7% of 4/);
  }, 60_000);
});

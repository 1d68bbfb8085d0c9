import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../test/shared-data.js';
import { main } from '../cli/main.js';
import { createLlmTestServer, type LlmTestServer } from '../testing/index.js';

const chat = (content: string) => ({
  body: {
    object: 'chat.completion',
    model: 'checker',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 50, completion_tokens: 10 },
  },
});

const line = (id: string, question: string, program: string, confidence?: number) =>
  JSON.stringify({
    id,
    question,
    query: program,
    db_id: 'geography_db',
    ...(confidence === undefined ? {} : { confidence }),
  });

const INPUT = [
  line(
    'capital',
    'what is the capital of texas',
    "SELECT state.capital FROM state WHERE state.state_name='texas'",
    1,
  ),
  line(
    'capital-again',
    'What is the capital of Texas?',
    "select state.capital from state where state.state_name = 'texas';",
    0.9,
  ),
  line(
    'capital-near',
    'what is the capital of texas please',
    "SELECT state.capital FROM state WHERE state.state_name='texas'",
    0.9,
  ),
  line('short', 'texas', 'SELECT state.state_name FROM state', 1),
  line('code', 'SELECT * FROM state WHERE x = 1', 'SELECT * FROM state', 1),
  line('cyrillic', 'какая столица техаса', 'SELECT state.capital FROM state', 1),
  line(
    'empty',
    'which cities are in atlantis',
    "SELECT city.city_name FROM city WHERE city.state_name='atlantis'",
    0.9,
  ),
  line('fixable', 'how many states border texas', 'SELECT count(*) FROM state', 0.3),
  line(
    'confirmed',
    'what is the population of ohio',
    "SELECT state.population FROM state WHERE state.state_name='ohio'",
    0.4,
  ),
  line('hopeless', 'name the rivers in ohio', 'SELECT river.river_name FROM river', 0.5),
  line('bad-fix', 'how big is alaska', "SELECT state.area FROM state WHERE state.state_name='alaska'", 0.55),
  '{"question": "not closed"',
  line(
    'review',
    'how many people live in boston',
    "SELECT city.population FROM city WHERE city.city_name='boston'",
    0.7,
  ),
  line(
    'ohio-capital',
    'what is the capital of ohio',
    "SELECT state.capital FROM state WHERE state.state_name='ohio'",
    1,
  ),
  line(
    'largest',
    'which state has the largest area',
    'SELECT state.state_name FROM state WHERE state.area = (SELECT max(state.area) FROM state)',
    1,
  ),
];

let server: LlmTestServer;
let folder: string;

beforeAll(async () => {
  server = await createLlmTestServer();
  folder = mkdtempSync(join(tmpdir(), 'symgen-curate-'));
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as Record<string, unknown>);

describe('symgen curate', () => {
  it('dedups, filters, relabels over HTTP, weights and queues for review, recording every drop', async () => {
    const input = join(folder, 'in.jsonl');
    writeFileSync(input, `${INPUT.join('\n')}\n`);
    const config = join(folder, 'checker.json');
    // one request at a time, so the scripted answers meet the examples lowest confidence first
    writeFileSync(
      config,
      JSON.stringify({
        provider: { kind: 'openai-compatible', model: 'checker', baseURL: server.baseURL },
        scheduler: { maxConcurrency: 1, initialConcurrency: 1 },
      }),
    );
    server.enqueue(
      chat(
        "VERDICT: wrong\n```sql\nSELECT count(border_info.border) FROM border_info WHERE border_info.state_name = 'texas'\n```",
      ),
      chat('VERDICT: correct. The query returns the population.'),
      chat('VERDICT: wrong, it lists every river.'),
      chat('VERDICT: wrong\n```sql\nSELECT size FROM nowhere\n```'),
    );
    const out = join(folder, 'out.jsonl');
    const code = await main([
      'curate',
      '--in',
      input,
      '--out',
      out,
      '--db',
      GEOGRAPHY_DB,
      '--min-result-rows',
      '1',
      '--relabel-config',
      config,
      '--near-threshold',
      '0.75',
    ]);
    expect(code).toBe(0);

    const kept = readLines(out);
    expect(kept.map((record) => record.id)).toEqual([
      'capital',
      'fixable',
      'confirmed',
      'review',
      'ohio-capital',
      'largest',
    ]);
    const fixed = kept.find((record) => record.id === 'fixable')!;
    expect(fixed.query).toBe(
      "SELECT count(border_info.border) FROM border_info WHERE border_info.state_name = 'texas'",
    );
    expect(fixed.relabel).toMatchObject({
      verdict: 'corrected',
      model: 'checker',
      previous: 'SELECT count(*) FROM state',
    });
    expect(kept.find((record) => record.id === 'confirmed')!.relabel).toMatchObject({ verdict: 'correct' });
    // weights: mean 1; confidence lowers them; a shared template (capital of ?) weighs less than a unique one
    const weight = (id: string) => kept.find((record) => record.id === id)!.weight as number;
    const mean = kept.reduce((sum, record) => sum + (record.weight as number), 0) / kept.length;
    expect(mean).toBeCloseTo(1, 3);
    expect(weight('capital')).toBeLessThan(weight('largest'));
    expect(weight('fixable')).toBeLessThan(weight('largest'));

    const dropped = Object.fromEntries(
      readLines(join(folder, 'out.dropped.jsonl')).map((record) => [
        record.id ?? `line-${record.line}`,
        record,
      ]),
    );
    expect(
      Object.fromEntries(
        Object.entries(dropped).map(([id, record]) => [id, (record as Record<string, unknown>).reason]),
      ),
    ).toEqual({
      'capital-again': 'duplicate',
      'capital-near': 'near-duplicate',
      short: 'too-short',
      code: 'language',
      cyrillic: 'language',
      empty: 'result-size',
      hopeless: 'relabel-wrong',
      'bad-fix': 'relabel-wrong',
      'line-12': 'invalid-line',
    });
    expect(dropped['capital-near']).toMatchObject({ duplicate_of: 'capital', status: 'dropped' });
    expect(dropped.empty!.detail).toBe('0 rows < 1');

    // review queue: kept examples under 0.8, lowest confidence first
    expect(readLines(join(folder, 'out.review.jsonl')).map((record) => record.id)).toEqual([
      'fixable',
      'confirmed',
      'review',
    ]);
    // the relabel prompt carried the schema and the example
    const prompt = JSON.stringify(server.requests[0]!.body);
    expect(prompt).toContain('CREATE TABLE');
    expect(prompt).toContain('how many states border texas');
  });

  it('refuses bad options with one line and writes nothing', async () => {
    const input = join(folder, 'in2.jsonl');
    writeFileSync(input, `${INPUT[0]}\n`);
    const out = join(folder, 'never.jsonl');
    expect(await main(['curate', '--in', input, '--out', out, '--near-threshold', '1.5'])).toBe(2);
    expect(await main(['curate', '--in', input, '--out', out, '--language', 'klingon'])).toBe(2);
    expect(await main(['curate', '--in', join(folder, 'missing.jsonl'), '--out', out])).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('symgen curate --target-mix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'symgen-curate-mix-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-weights the kept examples toward the mix of a reference, and reports the divergence before and after', async () => {
    const states = ['texas', 'ohio', 'utah', 'iowa', 'maine', 'idaho', 'alaska', 'nevada'];
    // generated: eight easy lookups for one ORDER BY question
    const generated = [
      ...states.map((state, index) =>
        line(
          `easy-${index}`,
          `what is the capital of ${state}`,
          `SELECT state.capital FROM state WHERE state.state_name='${state}'`,
        ),
      ),
      line(
        'ordered',
        'which state has the most people',
        'SELECT state.state_name FROM state ORDER BY state.population DESC LIMIT 1',
      ),
    ];
    // the demonstrations: half lookups, half ORDER BY ... LIMIT
    const demos = [
      line('d1', 'capital of ohio', "SELECT state.capital FROM state WHERE state.state_name='ohio'"),
      line('d2', 'largest state', 'SELECT state.state_name FROM state ORDER BY state.area DESC LIMIT 1'),
    ];
    const input = join(dir, 'generated.jsonl');
    const reference = join(dir, 'demos.jsonl');
    writeFileSync(input, `${generated.join('\n')}\n`);
    writeFileSync(reference, `${demos.join('\n')}\n`);
    const out = join(dir, 'out.jsonl');
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    // rarity weighting off, so the weights are the mix factors alone
    const config = join(dir, 'curate.json');
    writeFileSync(config, JSON.stringify({ weight: { rarityPower: 0 } }));
    try {
      code = await main([
        'curate',
        '--in',
        input,
        '--out',
        out,
        '--config',
        config,
        '--target-mix',
        reference,
        '--no-near-dedup',
      ]);
    } finally {
      process.stderr.write = write;
    }
    expect(code).toBe(0);
    const kept = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { id: string; weight: number });
    expect(kept).toHaveLength(9);
    const ordered = kept.find((entry) => entry.id === 'ordered')!.weight;
    const easy = kept
      .filter((entry) => entry.id.startsWith('easy'))
      .reduce((sum, entry) => sum + entry.weight, 0);
    // the one ORDER BY program carries about as much weight as the eight lookups together
    expect(ordered / (ordered + easy)).toBeGreaterThan(0.4);
    expect(ordered / (ordered + easy)).toBeLessThan(0.6);
    const summary = stderr
      .join('')
      .match(
        /target mix: divergence \(hardness, clauses, tables\) ([\d.]+), ([\d.]+), [\d.]+ unweighted -> ([\d.]+), ([\d.]+), [\d.]+ weighted/,
      );
    expect(summary).not.toBeNull();
    expect(Number(summary![3])).toBeLessThan(Number(summary![1]));
    expect(Number(summary![4])).toBeLessThan(Number(summary![2]));
  });
});

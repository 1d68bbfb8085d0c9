import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadGenerateConfig } from '../src/config/index.js';
import { questionKey } from '../src/generate/pipeline/index.js';
import { escapeHtml } from '../src/report/index.js';
import { createLlmTestServer, type LlmTestServer, type RecordedRequest } from '../src/testing/index.js';
import { createGeoQueryModel, geoQueryDev, kindOf } from './geoquery-model.js';
import { GEOGRAPHY_DB, GEOQUERY_TRAIN, SPIDER_DATABASES } from './shared-data.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-generate-'));
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    // biome-ignore lint/suspicious/noExplicitAny: the test walks dataset lines of many shapes
    .map((line) => JSON.parse(line) as Record<string, any>);

let server: LlmTestServer;
beforeAll(async () => {
  server = await createLlmTestServer({ respond: createGeoQueryModel() });
});
afterAll(async () => {
  await server.close();
});

function resultOf(db: Database.Database, sql: string): string {
  const rows = db.prepare(sql).raw().all() as unknown[][];
  return JSON.stringify(rows.map((row) => JSON.stringify(row)).sort());
}

describe('symgen generate with a model (SymGen on GeoQuery)', () => {
  const out = join(folder, 'geo-run');
  const config = join(folder, 'geo.yaml');
  const demonstrations = GEOQUERY_TRAIN;

  it('generates questions, then candidates, and keeps only what the verifier accepts', async () => {
    writeFileSync(
      config,
      [
        'task: sql',
        'count: 24',
        'seed: 7',
        `knowledge: { db: ${JSON.stringify(GEOGRAPHY_DB)}, rows: 2 }`,
        `demonstrations: { file: ${JSON.stringify(demonstrations)}, k: 3, selection: bm25 }`,
        'generation:',
        '  genQ: { n: 12 }',
        '  genA: { n: 10, logprobs: true }',
        '  promptsPerRound: 2',
        'verify: { minVotes: 5 }',
        `llm: { provider: { kind: openai-compatible, model: geo-model, baseURL: ${JSON.stringify(server.baseURL)} } }`,
        `output: { dir: ${JSON.stringify(out)}, formats: [parquet, chat] }`,
      ].join('\n'),
    );
    expect(await main(['generate', config])).toBe(0);

    const accepted = readLines(join(out, 'dataset.jsonl'));
    const rejected = readLines(join(out, 'rejected.jsonl'));
    const all = [...accepted, ...rejected];
    expect(all).toHaveLength(24);
    expect(new Set(all.map((line) => line.id)).size).toBe(24);
    expect(new Set(all.map((line) => questionKey(line.question))).size).toBe(24);

    // what lands where follows what the scripted model did with each question
    const gold = new Map(geoQueryDev().map((entry) => [entry.question, entry.query]));
    const db = new Database(GEOGRAPHY_DB, { readonly: true });
    for (const line of accepted) {
      expect(kindOf(line.question)).toBe('agree');
      expect(resultOf(db, line.program)).toBe(resultOf(db, gold.get(line.question)!));
      expect(line.votes).toBeGreaterThanOrEqual(5);
    }
    db.close();
    for (const line of rejected) {
      expect(line.status).toBe('rejected');
      expect(line.reason).toBe(kindOf(line.question) === 'scatter' ? 'below-min-votes' : 'no-program');
    }
    expect(accepted.length).toBe(all.filter((line) => kindOf(line.question) === 'agree').length);
    expect(rejected.length).toBeGreaterThan(0);

    // provenance lets a reader re-run the check
    const first = accepted[0]!;
    expect(first.provenance).toMatchObject({
      method: 'symgen',
      model: { provider: 'openai-compatible.chat', modelId: 'geo-model' },
      gen_q: { promptHash: expect.stringMatching(/^[0-9a-f]{16}$/), sampling: { n: 12, temperature: 0.8 } },
      gen_a: { demonstrationIds: expect.any(Array), sampling: { n: 10, logprobs: true }, candidates: 10 },
      database: { id: 'geography', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      seed: 7,
      engine: { symgen: expect.any(String), sqlite: expect.stringMatching(/^3\./) },
    });
    expect(first.provenance.gen_a.demonstrationIds).toHaveLength(3);
    expect(first.condition).toMatchObject({ hardness: expect.any(String), tables: expect.any(Array) });
    expect(first.features).toMatchObject({ hardness: expect.any(String) });
    expect(first.verification).toMatchObject({ minVotes: 5, db: { id: 'geography' } });

    // generated copies of demonstrations never land in the dataset
    const demos = new Set(readLines(demonstrations).map((line) => questionKey(line.question)));
    for (const line of all) expect(demos.has(questionKey(line.question))).toBe(false);

    // stats: per-stage counts, usage equal to what the server saw, each request sent once
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    const chatRequests = server.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(stats.examples).toMatchObject({
      total: 24,
      accepted: accepted.length,
      rejected: rejected.length,
      pending: 0,
    });
    expect(stats.stages.gen_q.dropped['too-short']).toBeGreaterThan(0);
    expect(stats.stages.gen_q.dropped['duplicate-normalised']).toBeGreaterThan(0);
    expect(stats.stages.gen_a.rejectedBy['below-min-votes']).toBeGreaterThan(0);
    expect(stats.stages.gen_a.candidates).toBe(24 * 10);
    expect(stats.usage.requests).toBe(chatRequests.length);
    expect(stats.stages.gen_q.promptsDone + 24).toBe(chatRequests.length);
    expect(new Set(chatRequests.map((request) => JSON.stringify(request.body))).size).toBe(
      chatRequests.length,
    );

    // exports written at the end: Parquet reads back, chat lines are system/user/assistant
    const buffer = readFileSync(join(out, 'dataset.parquet'));
    const rows = await parquetReadObjects({
      file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
    });
    expect(rows.map((row) => row.id)).toEqual(accepted.map((line) => line.id));
    expect(rows[0]).toMatchObject({ question: first.question, program: first.program, db_id: 'geography' });
    const chat = readLines(join(out, 'dataset.chat.jsonl'));
    expect(chat).toHaveLength(accepted.length);
    expect(chat[0]!.messages.map((message: { role: string }) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
    ]);
    expect(chat[0]!.messages[1].content).toContain('CREATE TABLE');
    expect(chat[0]!.messages[1].content).toContain(first.question);
    expect(chat[0]!.messages[2].content).toBe(first.program);

    // the run's report: coverage against the run's own database, example pairs with their results
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    const columns = /<td>columns used<\/td><td class="num">(\d+) \(/.exec(report);
    expect(Number(columns?.[1])).toBeGreaterThan(0);
    expect(report).toContain('<h2>Example pairs</h2>');
    expect(report).toContain(escapeHtml(first.question));
    expect(report).toMatch(/<table class="preview"><tbody><tr><td>/);
    expect(report).toContain('rejected: below-min-votes');
    expect(report).toContain('<h2>Tokens and cost</h2>');
    expect(report).toContain('<a href="dataset.jsonl">');
  });

  it('resumes a finished run without sending a request', async () => {
    const before = server.requests.length;
    const dataset = readFileSync(join(out, 'dataset.jsonl'), 'utf8');
    expect(await main(['generate', '--resume', '--out', out])).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(readFileSync(join(out, 'dataset.jsonl'), 'utf8')).toBe(dataset);
  });

  it('refuses to overwrite a run, or to resume with other settings', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      written.push(String(text));
      return true;
    });
    try {
      await expect(main(['generate', config])).resolves.toBe(2);
      await expect(main(['generate', config, '--resume', '--seed', '8'])).resolves.toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain('already holds a run; pass --resume to continue it');
    expect(written.join('')).toContain(
      'symgen generate: --resume: seed: differs from the run being resumed (was 7, now 8)',
    );
  });

  it('exports a run with symgen export', async () => {
    const target = join(folder, 'export.chat.jsonl');
    expect(await main(['export', out, '--format', 'chat', '--out', target, '--rows', '1'])).toBe(0);
    const lines = readLines(target);
    expect(lines.length).toBe(readLines(join(out, 'dataset.jsonl')).length);
    expect(lines[0]!.messages[1].content).toContain('example rows');
    expect(await main(['export', out, '--format', 'csv', '--out', target])).toBe(2);
  });

  it('writes the same bytes whatever order the prompts are answered in', async () => {
    // two servers answer the same model, each prompt after a delay from its text: ascending on one,
    // descending on the other, so four prompts at once come back in opposite orders; the quota
    // (fewer questions than the prompts give) makes the first prompts settled the ones kept
    const delay = (request: RecordedRequest) =>
      createHash('sha256').update(JSON.stringify(request.body)).digest().readUInt8(0) % 40;
    const model = createGeoQueryModel();
    const servers = await Promise.all(
      [1, -1].map((sign) =>
        createLlmTestServer({
          respond: (request) => {
            const reply = model(request);
            return reply && { ...reply, delayMs: 20 + sign * (delay(request) - 20) };
          },
        }),
      ),
    );
    try {
      const outputs = [];
      for (const [index, answering] of servers.entries()) {
        const dir = join(folder, `order-${index}`);
        const path = join(folder, `order-${index}.yaml`);
        writeFileSync(
          path,
          [
            'task: sql',
            'count: 20',
            'seed: 3',
            `knowledge: { db: ${JSON.stringify(GEOGRAPHY_DB)}, rows: 1 }`,
            'generation:',
            '  genQ: { n: 12 }',
            '  genA: { n: 6 }',
            '  promptsPerRound: 4',
            'verify: { minVotes: 3 }',
            `llm: { provider: { kind: openai-compatible, model: geo-model, baseURL: ${JSON.stringify(answering.baseURL)} } }`,
            `output: { dir: ${JSON.stringify(dir)}, formats: [] }`,
          ].join('\n'),
        );
        expect(await main(['generate', path])).toBe(0);
        outputs.push(
          ['dataset.jsonl', 'rejected.jsonl'].map((file) => readFileSync(join(dir, file), 'utf8')),
        );
      }
      expect(outputs[0]![0]!.length).toBeGreaterThan(0);
      expect(outputs[1]).toEqual(outputs[0]);
    } finally {
      await Promise.all(servers.map((answering) => answering.close()));
    }
  }, 60_000);
});

describe('symgen generate without a model', () => {
  it('runs the offline generators from flags alone, on a Spider-style folder: built-in shapes, then programs-first', async () => {
    const out = join(folder, 'offline');
    const code = await main([
      'generate',
      '--task',
      'sql',
      '--db',
      SPIDER_DATABASES,
      '--count',
      '50',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const lines = readLines(join(out, 'dataset.jsonl'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(50);
    for (const line of lines) {
      expect(['grammar', 'programs-first']).toContain(line.provenance.method);
      if (line.provenance.method === 'grammar') expect(line.provenance.origin).toBe('builtin');
      expect(typeof line.program).toBe('string');
    }
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.run.mode).toBe('programs-first');
    expect(Object.keys(stats.byDatabase).length).toBe(25);
    // the built-in shapes fit most of these schemas; where none does (no table of named things),
    // programs-first makes the database's pairs
    expect(stats.examples.byOrigin['grammar:builtin']).toBeGreaterThan(lines.length / 2);
    expect(existsSync(join(out, 'run.sqlite'))).toBe(true);
    // --offline-method programs-first asks for programs-first alone
    const only = join(folder, 'offline-programs-first');
    expect(
      await main([
        'generate',
        '--db',
        SPIDER_DATABASES,
        '--count',
        '12',
        '--offline-method',
        'programs-first',
        '--out',
        only,
      ]),
    ).toBe(0);
    for (const line of readLines(join(only, 'dataset.jsonl')))
      expect(line.provenance.method).toBe('programs-first');
  });
});

describe('symgen generate --demos without a model', () => {
  it('expands a grammar induced from the demonstrations, and records the target mix and the divergence', async () => {
    const demos = join(folder, 'demos10.jsonl');
    const train = join(import.meta.dirname, '..', 'examples', 'geoquery', 'train.jsonl');
    writeFileSync(demos, `${readFileSync(train, 'utf8').split('\n').slice(0, 10).join('\n')}\n`);
    const out = join(folder, 'grammar');
    const code = await main([
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--demos',
      demos,
      '--count',
      '40',
      '--offline-beyond',
      '0',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const lines = readLines(join(out, 'dataset.jsonl'));
    expect(lines).toHaveLength(40);
    const grammar = lines.filter((line) => line.provenance.method === 'grammar');
    expect(grammar.length).toBe(40);
    const sources = new Set(
      readFileSync(demos, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).question as string),
    );
    const db = new Database(GEOGRAPHY_DB, { readonly: true });
    for (const line of grammar) {
      expect(sources.has(line.question)).toBe(false);
      // the rule's demonstration is named; its words around the filled spans are kept
      expect(line.provenance.rule).toMatch(/^demos10\.jsonl:\d+$/);
      expect(db.prepare(line.program).all().length).toBeGreaterThan(0);
    }
    db.close();
    // "can you tell me the capital of texas" asks other columns of other entities in the same words
    const asked = grammar.filter((line) => line.question.startsWith('can you tell me the '));
    expect(asked.length).toBeGreaterThan(0);
    for (const line of asked)
      expect(line.program).toMatch(/^SELECT (\w+)\.\w+ FROM \1 WHERE \1\.\1_name = '/);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.mix.source).toBe('demonstrations');
    expect(stats.mix.target.hardness).toEqual({ easy: 0.9, hard: 0.1 });
    expect(stats.mix.target.programs).toBe(10);
    expect(stats.mix.produced.programs).toBe(40);
    expect(stats.mix.divergence.hardness).toBeLessThan(0.2);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('Target mix (demonstrations, 10 programs)');
  });

  it('by default 70% of the pairs come from the built-in question shapes, past the demonstrations', async () => {
    const demos = join(folder, 'demos10-beyond.jsonl');
    const train = join(import.meta.dirname, '..', 'examples', 'geoquery', 'train.jsonl');
    writeFileSync(demos, `${readFileSync(train, 'utf8').split('\n').slice(0, 10).join('\n')}\n`);
    const out = join(folder, 'grammar-beyond');
    expect(
      await main(['generate', '--db', GEOGRAPHY_DB, '--demos', demos, '--count', '60', '--out', out]),
    ).toBe(0);
    const lines = readLines(join(out, 'dataset.jsonl'));
    expect(lines).toHaveLength(60);
    const builtin = lines.filter((line) => String(line.provenance.rule).startsWith('builtin:'));
    expect(builtin).toHaveLength(42);
    const db = new Database(GEOGRAPHY_DB, { readonly: true });
    for (const line of builtin) expect(db.prepare(line.program).all().length).toBeGreaterThan(0);
    db.close();
    // the ten demonstrations are all easy, with no count or GROUP BY; the built-in shapes are not
    expect(builtin.some((line) => line.features.hardness !== 'easy')).toBe(true);
    expect(builtin.some((line) => /count\(|GROUP BY/i.test(line.program))).toBe(true);
    // the shapes the demonstrations' mix lacks most are drawn first, so the mix stays near theirs
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.mix.source).toBe('demonstrations');
    expect(stats.mix.divergence.hardness).toBeLessThan(0.2);
    // and where the pairs came from, in stats.json and the report
    expect(stats.examples.byOrigin).toEqual({ 'grammar:builtin': 42, 'grammar:demonstrations': 18 });
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain(
      'Accepted examples by origin: built-in question shapes 42, the demonstrations&#39; grammar 18.',
    );
  });

  it('takes the target from --reference, and programs-first follows it when asked for', async () => {
    const reference = join(folder, 'reference.jsonl');
    writeFileSync(
      reference,
      `${[
        'SELECT count(*) FROM city',
        'SELECT state_name FROM state ORDER BY population DESC LIMIT 1',
        'SELECT state_name, count(*) FROM city GROUP BY state_name',
        'SELECT city_name FROM city WHERE population > 100000',
      ]
        .map((query) => JSON.stringify({ question: 'q', query }))
        .join('\n')}\n`,
    );
    const out = join(folder, 'reference-run');
    const code = await main([
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--reference',
      reference,
      '--offline-method',
      'programs-first',
      '--count',
      '40',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.mix.source).toBe(`reference ${reference}`);
    expect(stats.mix.target.clauses['order-by']).toBe(0.25);
    expect(stats.mix.target.clauses.join).toBe(0);
    expect(stats.mix.divergence.hardness).toBeLessThan(0.35);
  });
});

describe('the shipped example configs', () => {
  const examples = join(import.meta.dirname, '..', 'examples');

  it('all validate, and the offline ones run (GeoQuery; Spider folder with quotas)', async () => {
    for (const file of [
      'geoquery/generate.yaml',
      'geoquery/generate-llm.yaml',
      'spider/generate.yaml',
      'mbpp/generate.yaml',
      'gsm8k/generate.yaml',
      'nl2bash/generate.yaml',
      'mtop/generate.yaml',
      'break/generate.yaml',
    ])
      expect(() => loadGenerateConfig(join(examples, file))).not.toThrow();
    const geo = join(folder, 'example-geo');
    expect(
      await main(['generate', join(examples, 'geoquery', 'generate.yaml'), '--count', '6', '--out', geo]),
    ).toBe(0);
    expect(readLines(join(geo, 'dataset.jsonl'))).toHaveLength(6);
    expect(existsSync(join(geo, 'dataset.parquet'))).toBe(true);
    // the run directory holds its report, with the run's own figures in it
    const report = readFileSync(join(geo, 'report.html'), 'utf8');
    expect(report).toMatch(/<svg/);
    expect(report).toContain('geography');
    const spider = join(folder, 'example-spider');
    const code = await main([
      'generate',
      join(examples, 'spider', 'generate.yaml'),
      '--offline',
      '--count',
      '25',
      '--out',
      spider,
    ]);
    expect(code).toBe(0);
    const stats = JSON.parse(readFileSync(join(spider, 'stats.json'), 'utf8'));
    expect(stats.run.mode).toBe('programs-first');
    expect(stats.byDatabase.car_road_race.quota).toBe(20);
    expect(stats.byDatabase.book_review.quota).toBe(20);
    expect(stats.byDatabase.bbc_channels.quota).toBe(0);
    expect(stats.examples.total).toBeGreaterThan(30);
  });
});

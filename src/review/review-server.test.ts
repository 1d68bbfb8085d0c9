import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateGeoRun } from '../../test/geo-run.js';
import { SHARED_DATA } from '../../test/shared-data.js';
import { main } from '../cli/main.js';
import { RunReviews } from '../store/run-reviews.js';
import { RunStore } from '../store/run-store.js';
import { type ReviewServer, startReviewServer } from './review-server.js';

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    // biome-ignore lint/suspicious/noExplicitAny: the test walks dataset lines
    .map((line) => JSON.parse(line) as Record<string, any>);

/** A client of one review server: real HTTP requests on loopback. */
function client(server: ReviewServer) {
  const headers = { 'X-Symgen-Token': server.token };
  return {
    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
    async get(path: string): Promise<{ status: number; body: any }> {
      const response = await fetch(new URL(path, server.url), { headers });
      return { status: response.status, body: await response.json() };
    },
    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
    async post(path: string, body: unknown, raw?: string): Promise<{ status: number; body: any }> {
      const response = await fetch(new URL(path, server.url), {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: raw ?? JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'symgen-review-'));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(folder, { recursive: true, force: true });
});

describe('symgen review over a SQL run (HTTP endpoints)', () => {
  let run: string;
  let server: ReviewServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    run = await generateGeoRun(join(folder, 'sql'));
    server = await startReviewServer({ runDirectory: run });
    api = client(server);
  }, 120_000);
  afterAll(async () => server?.close());

  it('serves one self-contained page on 127.0.0.1 and refuses API calls without the token or from another host', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain(server.token);
    expect(html).not.toMatch(/src="http|href="http|<link|@import/i);
    const noToken = await fetch(new URL('/api/queue', server.url));
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: string }).error).toMatch(/X-Symgen-Token/);
    // a page of another site resolving to 127.0.0.1 (DNS rebinding) sends its own Host
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/queue',
          headers: { host: 'evil.example:80', 'x-symgen-token': server.token },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toMatch(/Host/);
  });

  it('queues examples lowest confidence first, with facets and filters by status, reason, database and hardness', async () => {
    const { status, body } = await api.get('/api/queue');
    expect(status).toBe(200);
    expect(body.task).toBe('sql');
    const confidences = body.items.map((item: { confidence: number }) => item.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));
    expect(body.items).toHaveLength(body.total);
    expect(body.facets.status).toMatchObject({ accepted: expect.any(Number), rejected: expect.any(Number) });
    expect(Object.keys(body.facets.reason).sort()).toEqual(['below-min-votes', 'no-program', 'type-trap']);
    const rejected = await api.get('/api/queue?status=rejected&reason=below-min-votes');
    expect(rejected.body.items.length).toBe(body.facets.reason['below-min-votes']);
    for (const item of rejected.body.items)
      expect(item).toMatchObject({ state: 'rejected', reason: 'below-min-votes' });
    const hardness = Object.keys(body.facets.hardness).find((value) => value !== '-')!;
    const byHardness = await api.get(`/api/queue?hardness=${hardness}&db=geography`);
    expect(byHardness.body.items.length).toBe(body.facets.hardness[hardness]);
    const none = await api.get('/api/queue?db=no_such_db');
    expect(none.body.items).toEqual([]);
  });

  it('shows an example with its result groups, votes, previews and the other candidates', async () => {
    const queue = (await api.get('/api/queue?status=accepted')).body;
    const withLosers = [];
    for (const item of queue.items) {
      const detail = (await api.get(`/api/examples/${item.id}`)).body;
      if (detail.groups.length > 1) withLosers.push(detail);
    }
    expect(withLosers.length).toBeGreaterThan(0);
    const detail = withLosers[0];
    expect(detail.program).toBe(detail.item.program);
    expect(detail.groups[0].votes).toBeGreaterThanOrEqual(5);
    expect(detail.groups[0].programs.map((p: { program: string }) => p.program)).toContain(detail.program);
    expect(detail.groups[1].preview).toBeDefined();
    expect(
      detail.groups.reduce((sum: number, group: { votes: number }) => sum + group.votes, 0),
    ).toBeLessThanOrEqual(detail.item.total);
  });

  it('accepts, rejects with a reason and edits with a re-execution; every decision lands in run.sqlite and the run files', async () => {
    const queue = (await api.get('/api/queue')).body;
    const rejected = queue.items.find((item: { reason: string }) => item.reason === 'below-min-votes');
    const accepted = queue.items.find((item: { state: string }) => item.state === 'accepted');
    const noProgram = queue.items.find((item: { reason: string }) => item.reason === 'no-program');

    // accept a rejected example whose program the reviewer trusts
    const accept = await api.post(`/api/examples/${rejected.id}/accept`, { version: rejected.version });
    expect(accept.status).toBe(200);
    expect(accept.body.item).toMatchObject({ state: 'accepted', reviewed: 'accepted', version: 1 });
    // the same request again is stale: refused, nothing changed
    const stale = await api.post(`/api/examples/${rejected.id}/reject`, { version: 0, reason: 'late' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatch(/changed since it was loaded .*reload/);

    // reject an accepted example with a reason
    const reject = await api.post(`/api/examples/${accepted.id}/reject`, {
      version: 0,
      reason: 'wrong table',
    });
    expect(reject.status).toBe(200);
    expect(reject.body.review).toMatchObject({ action: 'reject', reason: 'wrong table' });

    // an edited program that fails: 422, one line, nothing saved
    const datasetBefore = readFileSync(join(run, 'dataset.jsonl'), 'utf8');
    const failing = await api.post(`/api/examples/${noProgram.id}/edit`, {
      version: 0,
      program: 'SELECT state_nam FROM state',
    });
    expect(failing.status).toBe(422);
    expect(failing.body.error).toMatch(
      /^the edited program did not run \(error: no such column: state_nam\); nothing was saved$/,
    );
    expect(readFileSync(join(run, 'dataset.jsonl'), 'utf8')).toBe(datasetBefore);

    // run it first (the page does), then save: executed again by the server through the task's executor
    const program = "SELECT city_name FROM city WHERE state_name = 'alaska'";
    const run1 = await api.post(`/api/examples/${noProgram.id}/execute`, { program });
    expect(run1.status).toBe(200);
    expect(run1.body.result).toMatchObject({ status: 'ok', size: expect.any(Number) });
    const edit = await api.post(`/api/examples/${noProgram.id}/edit`, {
      version: 0,
      program,
      question: `${noProgram.question}?`,
    });
    expect(edit.status).toBe(200);
    expect(edit.body.review.changes.map((change: { field: string }) => change.field)).toEqual([
      'status',
      'question',
      'program',
    ]);

    // run.sqlite: the reviews table holds when, what changed, old and new
    const store = RunStore.open(run, { create: false });
    try {
      const reviews = new RunReviews(store).reviews();
      expect(reviews.map((review) => [review.exampleId, review.action])).toEqual([
        [rejected.id, 'accept'],
        [accepted.id, 'reject'],
        [noProgram.id, 'edit'],
      ]);
      expect(reviews[2]!.changes[2]).toEqual({ field: 'program', old: null, new: program });
      expect(Date.parse(reviews[0]!.at)).toBeGreaterThan(Date.parse('2020-01-01'));
    } finally {
      store.close();
    }
    // the run files: reviewed lines marked, moved between dataset.jsonl and rejected.jsonl
    const dataset = readLines(join(run, 'dataset.jsonl'));
    const rejectedLines = readLines(join(run, 'rejected.jsonl'));
    expect(dataset.find((line) => line.id === rejected.id)!.review).toMatchObject({
      status: 'accepted',
      verifierReason: 'below-min-votes',
    });
    const edited = dataset.find((line) => line.id === noProgram.id)!;
    expect(edited).toMatchObject({ program, question: `${noProgram.question}?`, status: 'accepted' });
    expect(edited.review).toMatchObject({ edited: ['program', 'question'], result: { status: 'ok' } });
    expect(edited.features.hardness).toBe('easy');
    const rejectedLine = rejectedLines.find((line) => line.id === accepted.id)!;
    expect(rejectedLine).toMatchObject({ status: 'rejected', reason: 'rejected-by-reviewer' });
    expect(rejectedLine.review).toMatchObject({ status: 'rejected', reason: 'wrong table' });
    expect(dataset.some((line) => line.id === accepted.id)).toBe(false);
    const stats = JSON.parse(readFileSync(join(run, 'stats.json'), 'utf8'));
    expect(stats.review).toEqual({ reviewed: 3, accepted: 2, rejected: 1, edited: 1 });
    expect(stats.examples.accepted).toBe(dataset.length);
    expect(stats.examples.rejected).toBe(rejectedLines.length);

    // the report says how many were reviewed
    expect(await main(['report', run, '--no-embeddings'])).toBe(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain(
      'reviewed by people (2 accepted, 1 rejected, 1 edited)',
    );
  });

  it('runs as `symgen review RUN_DIR --port P` until Ctrl-C, and refuses a folder without a run', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', '..', 'test', 'run-cli.ts'),
        'review',
        run,
        '--port',
        '0',
      ],
      { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += String(chunk);
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address printed: ${stderr}`)), 60_000);
        child.stderr!.on('data', () => {
          const found = /symgen review: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>symgen review:');
      expect((await fetch(new URL('/api/queue', url))).status).toBe(403);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
    expect(code).toBe(0);
    expect(stderr).toContain('stopped; dataset.jsonl and rejected.jsonl are up to date');

    let message = '';
    vi.mocked(process.stderr.write).mockImplementation((chunk) => {
      message += String(chunk);
      return true;
    });
    expect(await main(['review', join(folder, 'no-run-here')])).toBe(2);
    expect(message).toMatch(/^symgen review: no run in .*no-run-here \(run\.sqlite not found\)/);
    vi.mocked(process.stderr.write).mockImplementation(() => true);
  }, 90_000);

  it('answers bad requests with a 4xx and one line, and loses nothing', async () => {
    const before = readFileSync(join(run, 'dataset.jsonl'), 'utf8');
    const item = (await api.get('/api/queue?status=accepted')).body.items[0];
    const cases: [string, unknown, string | undefined, number, RegExp][] = [
      [`/api/examples/${item.id}/accept`, undefined, '{"version": 1,', 400, /^malformed JSON body/],
      [`/api/examples/${item.id}/accept`, undefined, '[1]', 400, /must be a JSON object/],
      [`/api/examples/${item.id}/accept`, {}, undefined, 400, /missing "version"/],
      [`/api/examples/${item.id}/reject`, { version: item.version }, undefined, 400, /needs a "reason"/],
      [
        `/api/examples/${item.id}/edit`,
        { version: item.version },
        undefined,
        400,
        /needs a new "question" or "program"/,
      ],
      [
        `/api/examples/${item.id}/edit`,
        { version: item.version, program: 42 },
        undefined,
        400,
        /must be a string/,
      ],
      ['/api/examples/no-such-id/accept', { version: 0 }, undefined, 404, /no example "no-such-id"/],
      [`/api/examples/${item.id}/explode`, { version: 0 }, undefined, 404, /no endpoint/],
    ];
    for (const [path, body, raw, status, message] of cases) {
      const answer = await api.post(path, body, raw);
      expect([path, answer.status]).toEqual([path, status]);
      expect(answer.body.error).toMatch(message);
      expect(answer.body.error).not.toContain('\n');
    }
    const plain = await fetch(new URL(`/api/examples/${item.id}/accept`, server.url), {
      method: 'POST',
      headers: { 'X-Symgen-Token': server.token, 'Content-Type': 'text/plain' },
      body: '{"version":0}',
    });
    expect(plain.status).toBe(415);
    expect((await api.get('/api/examples/no-such-id')).status).toBe(404);
    expect(readFileSync(join(run, 'dataset.jsonl'), 'utf8')).toBe(before);
  });
});

describe('symgen review over a Python run (MBPP, sandboxed execution)', () => {
  let server: ReviewServer;
  let api: ReturnType<typeof client>;
  let run: string;
  const rows = readLines(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl')).filter(
    (row) => row.task_id >= 11 && row.task_id <= 14,
  );
  beforeAll(async () => {
    // verified lines from symgen verify --task python, stored as a run of task python
    const input = join(folder, 'python-in.jsonl');
    const verified = join(folder, 'python-out.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      input,
      rows
        .map((row, index) =>
          JSON.stringify({
            id: `mbpp-${row.task_id}`,
            question: row.text,
            test_list: row.test_list,
            candidates: [row.code, row.code, rows[(index + 1) % rows.length]!.code, 'def broken(:'],
          }),
        )
        .join('\n'),
    );
    expect(
      await main(['verify', '--task', 'python', '--in', input, '--out', verified, '--min-votes', '2']),
    ).toBe(0);
    run = join(folder, 'python-run');
    const store = RunStore.open(run, { create: true });
    store.setMeta('config', JSON.stringify({ task: 'python', verify: { timeoutMs: 5000 } }));
    for (const line of readLines(verified)) {
      store.insertDecided({
        id: line.id,
        dbId: 'mbpp',
        question: line.question,
        key: line.question.toLowerCase(),
        status: line.status,
        ...(line.reason ? { reason: line.reason } : {}),
        record: line,
      });
    }
    store.close();
    server = await startReviewServer({ runDirectory: run });
    api = client(server);
  }, 120_000);
  afterAll(async () => server?.close());

  it('re-executes an edited function against the example tests in the sandbox before saving it', async () => {
    const queue = (await api.get('/api/queue')).body;
    expect(queue.task).toBe('python');
    const item = queue.items.find((entry: { id: string }) => entry.id === 'mbpp-11');
    expect(item.state).toBe('accepted');
    const row = rows.find((entry) => entry.task_id === 11)!;
    const original = item.program as string;
    expect(original).toBe(row.code.replace(/\r\n/g, '\n').trim());
    const wrong = original.replace('return s', 'return s[::-1]');
    const failed = await api.post(`/api/examples/${item.id}/execute`, { program: wrong });
    expect(failed.body.result.status).toBe('error');
    const refused = await api.post(`/api/examples/${item.id}/edit`, { version: 0, program: wrong });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(/^the edited program did not run \(error: .*\); nothing was saved$/);
    const better = `# reviewed\n${original}`;
    const saved = await api.post(`/api/examples/${item.id}/edit`, { version: 0, program: better });
    expect(saved.status).toBe(200);
    expect(saved.body.review.result).toMatchObject({ status: 'ok', key: 'pass', group: 0 });
    const line = readLines(join(run, 'dataset.jsonl')).find((entry) => entry.id === 'mbpp-11')!;
    expect(line.program).toBe(better);
    expect(line.review).toMatchObject({
      status: 'accepted',
      edited: ['program'],
      previous: { program: original },
    });
  });
});

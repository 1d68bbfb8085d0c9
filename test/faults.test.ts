import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { ApiCallError, CircuitOpenError, RetryError } from '../src/errors/index.js';
import { createCacheMiddleware, openSqliteResponseCache } from '../src/llm/cache/index.js';
import { createOpenAICompatible } from '../src/llm/openai-compatible/index.js';
import { createScheduler } from '../src/llm/scheduler/index.js';
import type { LlmRequest } from '../src/llm/spec.js';
import { wrapProvider } from '../src/llm/wrap-provider.js';
import {
  createFakeProvider,
  createLlmTestServer,
  createVirtualClock,
  type RecordedRequest,
  type TestServerReply,
} from '../src/testing/index.js';
import { createGeoQueryModel, geoQueryDev } from './geoquery-model.js';
import { GEOGRAPHY_DB } from './shared-data.js';

// Issue 16, items 10-16: the model path under faults, against the loopback test server speaking the
// real protocol, and a real generate process killed with SIGKILL.

const ROOT = join(import.meta.dirname, '..');
const folder = mkdtempSync(join(tmpdir(), 'symgen-faults-'));
const request: LlmRequest = { messages: [{ role: 'user', content: 'hi' }], n: 4, seed: 1 };
const quiet = () => undefined;
const emptyChoices: TestServerReply = {
  body: {
    object: 'chat.completion',
    model: 'm',
    choices: [],
    usage: { prompt_tokens: 5, completion_tokens: 0 },
  },
};

describe('the provider and scheduler under faults (items 10, 11, 16)', () => {
  it('a 200 whose body is cut off mid-transfer is retried like a reset (item 10)', async () => {
    const server = await createLlmTestServer();
    try {
      const scheduler = createScheduler({ retry: { initialDelayMs: 1 }, onMessage: quiet });
      const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
        scheduler.middleware,
      ]);
      server.enqueue({ cut: true }, { reset: true });
      const result = await model.doGenerate(request);
      expect(result.samples).toHaveLength(4);
      expect(scheduler.stats()).toMatchObject({ attempts: 3, retries: 2 });
      // when every attempt is cut, the run gives up as retries running out, never as "non-retryable"
      server.enqueue({ cut: true }, { cut: true }, { cut: true });
      const failed = createScheduler({ retry: { initialDelayMs: 1, maxRetries: 2 }, onMessage: quiet });
      const error = await wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
        failed.middleware,
      ])
        .doGenerate(request)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RetryError);
      expect((error as RetryError).reason).toBe('max-retries-exceeded');
      expect((error as Error).message).toMatch(/broke while reading the answer/);
      expect((error as Error).message).not.toMatch(/non-retryable/);
    } finally {
      await server.close();
    }
  });

  it('a 200 with empty choices is retried, never an answer with zero samples (item 11)', async () => {
    const server = await createLlmTestServer();
    try {
      const scheduler = createScheduler({ retry: { initialDelayMs: 1 }, onMessage: quiet });
      const model = wrapProvider(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), [
        scheduler.middleware,
      ]);
      server.enqueue(emptyChoices, emptyChoices);
      const result = await model.doGenerate(request);
      expect(result.samples.map((sample) => sample.index)).toEqual([0, 1, 2, 3]);
      expect(scheduler.stats()).toMatchObject({ attempts: 3, retries: 2 });
    } finally {
      await server.close();
    }
  });

  it('the cache asks for the samples a provider left out and never caches an empty answer as final (item 11)', async () => {
    const cache = openSqliteResponseCache({ database: new Database(':memory:') });
    let calls = 0;
    const answer = (asked: LlmRequest, n: number) => ({
      samples: Array.from({ length: n }, (_, position) => ({
        index: (asked.sampleOffset ?? 0) + position,
        text: `s${(asked.sampleOffset ?? 0) + position}`,
        finishReason: 'stop' as const,
      })),
      usage: { promptTokens: 10, completionTokens: n, cachedTokens: 0 },
    });
    const short = createFakeProvider({
      responses: (asked) => {
        calls++;
        // the first answer lacks one sample
        return answer(asked, calls === 1 ? (asked.n ?? 1) - 1 : (asked.n ?? 1));
      },
    });
    const model = wrapProvider(short, [createCacheMiddleware(cache)]);
    const result = await model.doGenerate(request);
    expect(result.samples).toHaveLength(4);
    expect(calls).toBe(2);
    const empty = createFakeProvider({ responses: (asked) => answer(asked, 0) });
    const never = wrapProvider(empty, [createCacheMiddleware(cache)]);
    const other: LlmRequest = { ...request, seed: 2 };
    await expect(never.doGenerate(other)).rejects.toThrow(/returned 0 of the 4 samples asked for/);
    // nothing was cached for it: a later healthy answer is asked for, not replayed as empty
    const healthy = wrapProvider(createFakeProvider({ responses: () => ['a', 'b', 'c', 'd'] }), [
      createCacheMiddleware(cache),
    ]);
    expect((await healthy.doGenerate(other)).cachedSamples).toBe(0);
  });

  it('the circuit breaker counts the pauses it made (item 16)', async () => {
    const messages: string[] = [];
    const provider = createFakeProvider({
      responses: () => {
        throw new ApiCallError('http://h/v1 answered 502 Bad Gateway', { url: 'x', statusCode: 502 });
      },
    });
    const scheduler = createScheduler({
      clock: createVirtualClock(),
      retry: { maxRetries: 1000, initialDelayMs: 10, maxDelayMs: 10 },
      circuitBreaker: { failureThreshold: 2, pauseMs: 1000, maxOpenings: 5 },
      onMessage: (message) => messages.push(message),
    });
    const error = await wrapProvider(provider, [scheduler.middleware])
      .doGenerate(request)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(messages.at(-1)).toContain('(pause 5 of 5)');
    expect((error as Error).message).toContain('kept failing through 5 pauses');
  });
});

describe('hostile candidates (item 16)', () => {
  it('DROP and ATTACH candidates are refused as writes, with the reason, not counted as no program', async () => {
    const input = join(folder, 'hostile.jsonl');
    writeFileSync(
      input,
      `${JSON.stringify({
        id: 'h',
        question: 'how many states?',
        candidates: [
          'DROP TABLE state',
          "ATTACH DATABASE '/tmp/x.sqlite' AS x",
          '```sql\nDELETE FROM city\n```',
        ],
      })}\n`,
    );
    const out = join(folder, 'hostile-verified.jsonl');
    const result = await run(
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      input,
      '--out',
      out,
      '--keep-candidates',
    );
    expect(result.code, result.stderr).toBe(0);
    const [line] = readLines(out) as {
      failures: Record<string, number>;
      candidates: { status: string; error: string }[];
    }[];
    expect(line!.failures).toEqual({ refused: 3 });
    for (const candidate of line!.candidates) {
      expect(candidate.status).toBe('refused');
      expect(candidate.error).toMatch(/read-only/);
    }
  });
});

/** Runs the CLI in this process; returns its exit code and stderr. */
async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stderr };
  } finally {
    spy.mockRestore();
  }
}

const hashOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * The scripted GeoQuery model behind faults: the first time a request is seen it may get empty
 * `choices` (about 30%), a body cut off mid-transfer or a reset; the retry gets the answer.
 */
function faultyModel(
  model: (request: RecordedRequest) => TestServerReply | undefined,
  counts: { chat: number },
) {
  const seen = new Set<string>();
  return (recorded: RecordedRequest): TestServerReply | undefined => {
    if (recorded.path !== '/v1/chat/completions') return undefined;
    counts.chat++;
    const hash = hashOf(recorded.body);
    const first = !seen.has(hash);
    seen.add(hash);
    const draw = Number.parseInt(hash.slice(0, 4), 16) % 20;
    if (first && draw < 6) return emptyChoices;
    if (first && draw < 8) return { ...model(recorded), cut: true };
    if (first && draw < 9) return { reset: true };
    return model(recorded);
  };
}

const generateArgs = (out: string, baseURL: string, count: number) => [
  'generate',
  '--task',
  'sql',
  '--db',
  GEOGRAPHY_DB,
  '--count',
  String(count),
  '--out',
  out,
  '--model',
  'geo-model',
  '--base-url',
  baseURL,
  '--questions-per-prompt',
  '6',
  '--candidates',
  '6',
  '--min-votes',
  '3',
];

interface Stats {
  run: { complete: boolean };
  stages: { gen_a: { candidates: number; done: number; rejectedBy: Record<string, number> } };
  examples: { accepted: number; rejected: number };
  usage: { requests: number; samples: number; byStage: Record<string, { requests: number }> };
}

const readStats = (dir: string) => JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8')) as Stats;
const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('generate against a server with faults (items 10-12, 14)', () => {
  it('empty choices, cut bodies and resets are retried: no question is decided from missing samples', async () => {
    const counts = { chat: 0 };
    const server = await createLlmTestServer({ respond: faultyModel(createGeoQueryModel(), counts) });
    try {
      const out = join(folder, 'faulty');
      const result = await run(...generateArgs(out, server.baseURL, 12));
      expect(result.code, result.stderr).toBe(0);
      const stats = readStats(out);
      expect(stats.run.complete).toBe(true);
      expect(stats.stages.gen_a.rejectedBy['no-candidates']).toBeUndefined();
      const decided = [...readLines(join(out, 'dataset.jsonl')), ...readLines(join(out, 'rejected.jsonl'))];
      expect(decided).toHaveLength(12);
      for (const record of decided) {
        expect((record.provenance as { gen_a: { candidates: number } }).gen_a.candidates).toBe(6);
        expect(record.total).toBe(6);
      }
      // counts derived from run.sqlite: every request sent, each decided candidate once
      expect(stats.usage.requests).toBe(counts.chat);
      expect(stats.stages.gen_a.candidates).toBe(12 * 6);
      expect(Object.values(stats.usage.byStage).reduce((sum, stage) => sum + stage.requests, 0)).toBe(
        counts.chat,
      );
    } finally {
      await server.close();
    }
  }, 120_000);

  it('a quota the model cannot meet is reported as not met, not complete (item 12)', async () => {
    const server = await createLlmTestServer({ respond: createGeoQueryModel(geoQueryDev().slice(0, 2)) });
    try {
      const out = join(folder, 'short');
      const result = await run(...generateArgs(out, server.baseURL, 20));
      expect(result.code, result.stderr).toBe(0);
      expect(readStats(out).run.complete).toBe(false);
      expect(result.stderr).toContain('quota not met');
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('generate killed with SIGKILL (items 13-15)', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('keeps dataset.jsonl current, exports a killed run, removes stale temporaries and counts right after resume', async () => {
    const counts = { chat: 0 };
    const model = createGeoQueryModel();
    const server = await createLlmTestServer({
      respond: (recorded) => {
        if (recorded.path === '/v1/chat/completions') counts.chat++;
        const reply = model(recorded);
        return reply && { ...reply, delayMs: 60 };
      },
    });
    try {
      const out = join(folder, 'killed');
      // one gen_q prompt per round: the run writes dataset.jsonl several times before it is done
      const config = join(folder, 'one-prompt-per-round.yaml');
      writeFileSync(config, 'generation:\n  promptsPerRound: 1\n');
      const args = [...generateArgs(out, server.baseURL, 30), config];
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'run-cli.ts'), ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      children.push(child);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // kill it once a round has been written out, with the run unfinished
      const dataset = join(out, 'dataset.jsonl');
      for (let waited = 0; ; waited += 50) {
        if (existsSync(dataset) && readFileSync(dataset, 'utf8').length > 0) break;
        if (waited > 90_000) throw new Error('no round was written');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGKILL');
      await exited;
      const kept = readLines(dataset);
      expect(kept.length).toBeGreaterThan(0);
      const store = new Database(join(out, 'run.sqlite'), { readonly: true });
      const accepted = store
        .prepare(`SELECT id FROM examples WHERE state = 'accepted' ORDER BY seq`)
        .all() as {
        id: string;
      }[];
      store.close();
      // what the file holds was accepted in the store (the file is the store as of the last round)
      const ids = new Set(accepted.map((row) => row.id));
      for (const line of kept) expect(ids.has(String(line.id))).toBe(true);
      expect(stateOf(out).complete).toBe(false);
      // export works on the killed run
      const exportOut = join(folder, 'killed-export.jsonl');
      const exported = await run('export', out, '--format', 'jsonl', '--out', exportOut);
      expect(exported.code, exported.stderr).toBe(0);
      expect(readLines(exportOut)).toHaveLength(kept.length);
      // a temporary file of a process that no longer runs (a kill while writing) goes at resume;
      // one of a live process stays
      const dead = spawn(process.execPath, ['-e', '0']);
      const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid!)));
      const stale = `.dataset.jsonl.${deadPid}.1764547200000.tmp`;
      const live = `.stats.json.${process.pid}.1764547200000.tmp`;
      writeFileSync(join(out, stale), '{"half": ');
      writeFileSync(join(out, live), '{"half": ');
      const resumed = await run(...args, '--resume');
      expect(resumed.code, resumed.stderr).toBe(0);
      const names = readdirSync(out);
      expect(names).not.toContain(stale);
      expect(names).toContain(live);
      // counts from run.sqlite after the resume
      const stats = readStats(out);
      expect(stats.run.complete).toBe(true);
      const decided = stats.examples.accepted + stats.examples.rejected;
      expect(decided).toBe(30);
      expect(stats.stages.gen_a.candidates).toBe(decided * 6);
      // requests are counted as sent: a kill may cut one after counting it, before the server saw it
      expect(stats.usage.requests).toBeGreaterThanOrEqual(counts.chat);
      expect(stats.usage.requests - counts.chat).toBeLessThanOrEqual(server.maxInFlight);
      const cache = new Database(join(out, 'run.sqlite'), { readonly: true });
      const cached = (cache.prepare('SELECT count(*) AS n FROM llm_cache').get() as { n: number }).n;
      cache.close();
      expect(stats.usage.samples).toBe(cached);
    } finally {
      await server.close();
    }
  }, 180_000);
});

function stateOf(dir: string): { complete: boolean } {
  return readStats(dir).run;
}

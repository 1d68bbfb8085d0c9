import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlmTestServer, type RecordedRequest } from '../src/testing/index.js';
import { createGeoQueryModel } from './geoquery-model.js';
import { GEOGRAPHY_DB } from './shared-data.js';

const ROOT = join(import.meta.dirname, '..');
const folder = mkdtempSync(join(tmpdir(), 'symgen-resume-'));
const LATENCY_MS = 80;
// the latency plus what a loaded machine may take to read an answer and store it
const IN_FLIGHT_SLACK_MS = LATENCY_MS + 1500;

interface Sent {
  readonly hash: string;
  readonly at: number;
}

describe('symgen generate killed with SIGKILL and resumed', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('finishes with no example lost or duplicated and no answered request sent again', async () => {
    const model = createGeoQueryModel();
    const sent: Sent[] = [];
    const server = await createLlmTestServer({
      respond: (request: RecordedRequest) => {
        if (request.path !== '/v1/chat/completions') return undefined;
        sent.push({
          hash: createHash('sha256').update(JSON.stringify(request.body)).digest('hex'),
          at: Date.now(),
        });
        const reply = model(request);
        return reply && { ...reply, delayMs: LATENCY_MS };
      },
    });
    const out = join(folder, 'run');
    const args = [
      '--import',
      'tsx',
      join(ROOT, 'test', 'run-cli.ts'),
      'generate',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '40',
      '--out',
      out,
      '--model',
      'geo-model',
      '--base-url',
      server.baseURL,
      '--questions-per-prompt',
      '6',
      '--candidates',
      '8',
      '--min-votes',
      '4',
    ];
    const run = (resume: boolean) => {
      const child = spawn(process.execPath, resume ? [...args, '--resume'] : args, {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
      );
      return { child, exited };
    };
    // seeded kill points, so a failure can be replayed
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const kills: number[] = [];
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        const { child, exited } = run(attempt > 0);
        const requestsBefore = sent.length;
        // wait until this process sends its first request, then kill it at a random moment
        const deadline = Date.now() + 30_000;
        while (sent.length === requestsBefore && child.exitCode === null && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 20));
        await new Promise((resolve) => setTimeout(resolve, 100 + random() * 500));
        if (child.exitCode !== null) break;
        kills.push(Date.now());
        child.kill('SIGKILL');
        expect((await exited).signal).toBe('SIGKILL');
      }
      const final = await run(true).exited;
      expect(final.stderr).not.toContain('unexpected error');
      expect(final.code, final.stderr).toBe(0);
    } finally {
      await server.close();
    }
    expect(kills.length).toBeGreaterThanOrEqual(2);

    const lines = ['dataset.jsonl', 'rejected.jsonl'].flatMap((file) =>
      readFileSync(join(out, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; question: string }),
    );
    expect(lines).toHaveLength(40);
    expect(new Set(lines.map((line) => line.id)).size).toBe(40);
    expect(new Set(lines.map((line) => line.question)).size).toBe(40);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(stats.examples).toMatchObject({ total: 40, pending: 0 });
    expect(stats.run.sessions).toHaveLength(kills.length + 1);
    expect(existsSync(join(out, 'run.sqlite'))).toBe(true);

    // Every prompt and every question needs exactly one distinct request: a resumed run rebuilds
    // the same prompts, so nothing is asked anew.
    const distinct = new Map<string, number>();
    for (const request of sent) if (!distinct.has(request.hash)) distinct.set(request.hash, request.at);
    expect(distinct.size).toBe(stats.stages.gen_q.prompts + 40);
    // A request may go out again only when its first copy was in flight at a kill (answered, or
    // being read, when the process died); one answered long before a kill must come from the cache.
    let repeated = 0;
    const seen = new Set<string>();
    for (const request of sent) {
      if (!seen.has(request.hash)) {
        seen.add(request.hash);
        continue;
      }
      repeated++;
      const firstSent = distinct.get(request.hash)!;
      const inFlightAtKill = kills.some(
        (kill) => kill >= firstSent && kill - firstSent <= IN_FLIGHT_SLACK_MS,
      );
      expect(
        inFlightAtKill,
        `request ${request.hash.slice(0, 8)} answered before a kill was sent again`,
      ).toBe(true);
    }
    expect(repeated).toBeLessThanOrEqual(kills.length * 32);
  }, 180_000);
});

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReviewConflict, RunReviews, writeReviewedOutputs } from '../store/run-reviews.js';
import { RunStore } from '../store/run-store.js';
import type { ExecutionResult } from '../tasks/spec.js';
import { buildQueue, type QueueFilter, queueItem } from './queue.js';
import { reviewPage } from './review-page.js';
import { RunTask } from './run-task.js';

/** Options of {@link startReviewServer}. */
export interface ReviewServerOptions {
  readonly runDirectory: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** A user-defined task module, when the run's task is not built in. */
  readonly taskModule?: string;
  /** The session token (tests); a random one by default. */
  readonly token?: string;
}

/** A running review app. */
export interface ReviewServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Sent by the page in `X-Symgen-Token` on every API request. */
  readonly token: string;
  close(): Promise<void>;
}

/** An HTTP error: status and one line. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1 << 20;

/**
 * `symgen review`: a local web app over a run's `run.sqlite`, bound to 127.0.0.1. The page is one
 * self-contained document (inline CSS and script, no external resource); every API request must
 * carry the session token, which only the page served to this browser knows, and a Host header
 * naming this server (so neither another local page nor a DNS-rebinding site can drive it).
 */
export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  const store = RunStore.open(options.runDirectory, { create: false });
  let runTask: RunTask;
  let reviews: RunReviews;
  try {
    reviews = new RunReviews(store);
    runTask = await RunTask.open(store, options.taskModule ? { taskModule: options.taskModule } : {});
  } catch (error) {
    store.close();
    throw error;
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  // outputs are rewritten after each decision, one rewrite at a time, in decision order
  let writing: Promise<void> = Promise.resolve();
  const rewrite = () => {
    writing = writing.then(() => writeReviewedOutputs(store));
    return writing;
  };

  const execute = async (program: string, record: Record<string, unknown>) => {
    const result = await runTask.execute(program, record);
    return { result: shownResult(result), group: matchingGroup(record, result) };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      throw new HttpError(403, `refused: Host ${JSON.stringify(host)} is not this review server`);
    }
    if (request.method === 'GET' && url.pathname === '/') {
      send(
        response,
        200,
        'text/html; charset=utf-8',
        reviewPage({ token, task: runTask.task.id, run: options.runDirectory }),
      );
      return;
    }
    if (!url.pathname.startsWith('/api/')) throw new HttpError(404, `no page ${url.pathname}`);
    if (request.headers['x-symgen-token'] !== token) {
      throw new HttpError(403, 'missing or wrong X-Symgen-Token: use the page this server printed');
    }
    if (request.method === 'GET' && url.pathname === '/api/queue') {
      const filter: QueueFilter = Object.fromEntries(
        ['status', 'reason', 'db', 'hardness'].flatMap((name) => {
          const value = url.searchParams.get(name);
          return value ? [[name, value]] : [];
        }),
      );
      json(response, 200, {
        task: runTask.task.id,
        ...buildQueue(reviews, filter),
        review: reviews.counts(),
      });
      return;
    }
    const match = /^\/api\/examples\/([^/]+)(?:\/(execute|accept|reject|edit))?$/.exec(url.pathname);
    if (!match) throw new HttpError(404, `no endpoint ${url.pathname}`);
    const id = decodeURIComponent(match[1]!);
    const action = match[2];
    const example = reviews.example(id);
    if (!example?.record)
      throw new HttpError(404, `no example ${JSON.stringify(id)} in this run (reload the queue)`);
    if (!action) {
      if (request.method !== 'GET') throw new HttpError(405, `use GET for ${url.pathname}`);
      json(response, 200, detail(reviews, id));
      return;
    }
    if (request.method !== 'POST') throw new HttpError(405, `use POST for ${url.pathname}`);
    const body = await readJson(request);
    if (action === 'execute') {
      const program = requiredString(body, 'program');
      json(response, 200, await execute(program, example.record));
      return;
    }
    const version = body.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
      throw new HttpError(400, 'missing "version": send the version the example was loaded with');
    }
    let decided: ReturnType<RunReviews['decide']>;
    if (action === 'accept') {
      decided = reviews.decide(id, version, { action: 'accept' });
    } else if (action === 'reject') {
      const reason = optionalString(body, 'reason') ?? '';
      if (!reason.trim()) throw new HttpError(400, 'a rejection needs a "reason"');
      decided = reviews.decide(id, version, { action: 'reject', reason });
    } else {
      const question = optionalString(body, 'question');
      const program = optionalString(body, 'program');
      if (question === undefined && program === undefined) {
        throw new HttpError(400, 'an edit needs a new "question" or "program"');
      }
      if (question !== undefined && !question.trim()) throw new HttpError(400, 'the question is empty');
      if (program !== undefined && !program.trim()) throw new HttpError(400, 'the program is empty');
      let result: ReturnType<typeof shownResult> | undefined;
      let features: Record<string, unknown> | undefined;
      const oldProgram = typeof example.record.program === 'string' ? example.record.program : undefined;
      if (program !== undefined && program !== oldProgram) {
        const outcome = await execute(program, example.record);
        if (outcome.result.status !== 'ok') {
          throw new HttpError(
            422,
            `the edited program did not run (${outcome.result.status}: ${outcome.result.error ?? 'no result'}); nothing was saved`,
          );
        }
        result = { ...outcome.result, ...(outcome.group === null ? {} : { group: outcome.group }) };
        features = await runTask.features(program);
      }
      decided = reviews.decide(id, version, {
        action: 'edit',
        ...(question === undefined ? {} : { question }),
        ...(program === undefined ? {} : { program }),
        ...(result ? { result } : {}),
        ...(features ? { record: (record) => ({ ...record, features }) } : {}),
      });
    }
    await rewrite();
    json(response, 200, {
      item: queueItem(decided.example, reviews.version(id)),
      review: decided.review,
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) return json(response, error.status, { error: error.message });
      if (error instanceof ReviewConflict) {
        const status = error.kind === 'not-found' ? 404 : error.kind === 'stale' ? 409 : 422;
        return json(response, status, { error: error.message });
      }
      const message = error instanceof Error ? error.message : String(error);
      json(response, 500, { error: `internal error: ${message.split('\n')[0]}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await runTask.close();
    store.close();
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await writing.catch(() => undefined);
      await runTask.close();
      store.close();
    },
  };
}

/** Everything the page shows of one example. */
function detail(reviews: RunReviews, id: string) {
  const example = reviews.example(id)!;
  const record = example.record!;
  const clusters = Array.isArray(record.clusters) ? (record.clusters as Record<string, unknown>[]) : [];
  const chosen = typeof record.program === 'string' ? record.program : null;
  return {
    item: queueItem(example, reviews.version(id)),
    question: example.question,
    program: chosen,
    groups: clusters.map((cluster, index) => ({
      index,
      votes: cluster.votes ?? null,
      size: cluster.size ?? null,
      preview: cluster.preview ?? null,
      programs: Array.isArray(cluster.programs)
        ? (cluster.programs as { program?: unknown; count?: unknown }[]).map((entry) => ({
            program: String(entry.program ?? ''),
            count: typeof entry.count === 'number' ? entry.count : 1,
          }))
        : [],
    })),
    candidates: Array.isArray(record.candidates) ? record.candidates : [],
    failures: record.failures ?? {},
    errors: Array.isArray(record.errors) ? record.errors : [],
    result: record.result ?? null,
    history: reviews.reviews(id),
    record,
  };
}

/** The parts of an execution result the page shows and a review stores. */
function shownResult(result: ExecutionResult) {
  return {
    status: result.status,
    ...(result.key === undefined ? {} : { key: result.key }),
    ...(result.preview === undefined ? {} : { preview: result.preview }),
    ...(result.size === undefined ? {} : { size: result.size }),
    ...(result.error === undefined ? {} : { error: result.error.split('\n')[0] }),
  };
}

/** The index of the verifier's result group whose key the result has, or null. */
function matchingGroup(record: Record<string, unknown>, result: ExecutionResult): number | null {
  if (result.status !== 'ok' || !Array.isArray(record.clusters)) return null;
  const index = (record.clusters as { key?: unknown }[]).findIndex((cluster) => cluster.key === result.key);
  return index === -1 ? null : index;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    throw new HttpError(415, 'send the body as JSON (Content-Type: application/json)');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new HttpError(400, `malformed JSON body: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined || !value.trim()) throw new HttpError(400, `missing "${name}"`);
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `"${name}" must be a string`);
  return value;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  });
  response.end(body);
}

function json(response: ServerResponse, status: number, value: unknown): void {
  if (response.headersSent) return;
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

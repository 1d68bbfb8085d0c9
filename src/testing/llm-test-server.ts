import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted answer: a status, headers and a body (an object is sent as JSON, a string as is). */
export interface TestServerReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
  /** Close the connection without answering (a connection reset). */
  readonly reset?: boolean;
  /**
   * Send the status, the headers (with the whole body's `content-length`) and the first half of the
   * body, then close the connection: a body cut off mid-transfer.
   */
  readonly cut?: boolean;
}

/** A request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** Options of {@link createLlmTestServer}. */
export interface LlmTestServerOptions {
  /** Latency of every default answer. @default 0 */
  readonly latencyMs?: number;
  /** Answer 429 (with `retry-after-ms`) when more requests than this are in flight. */
  readonly concurrencyCap?: number;
  /** Honour `n` (false mimics Ollama and llama.cpp, which return one choice). @default true */
  readonly supportsN?: boolean;
  /** Return token log-probabilities when asked. @default true */
  readonly logprobs?: boolean;
  /** Model ids listed by `GET /v1/models`. @default ['test-model'] */
  readonly models?: readonly string[];
  /**
   * Answers a request itself (a scripted model): return a reply, or undefined for the default
   * answer. Used after queued replies, before the concurrency cap and the default answers; on a path
   * the server does not know, it is the only answer before a 404.
   */
  readonly respond?: (request: RecordedRequest) => TestServerReply | undefined;
}

/** A running test server. */
export interface LlmTestServer {
  /** `http://127.0.0.1:PORT` (the Anthropic base URL). */
  readonly url: string;
  /** `http://127.0.0.1:PORT/v1` (the OpenAI base URL). */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Queues scripted replies; they are used, in order, before default answers. */
  enqueue(...replies: TestServerReply[]): void;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks the OpenAI (`/v1/chat/completions`,
 * `/v1/completions`, `/v1/models`) and Anthropic (`/v1/messages`) protocols with canned answers
 * (`sample <i> of <counter>`), plus scripted failures: 429 with `retry-after`, 500, hangs, bodies
 * that are not JSON, connection resets, bodies cut off mid-transfer, 200s with empty `choices`. For tests and benchmarks; never listens beyond localhost.
 */
export async function createLlmTestServer(options: LlmTestServerOptions = {}): Promise<LlmTestServer> {
  const requests: RecordedRequest[] = [];
  const script: TestServerReply[] = [];
  const hanging = new Set<ServerResponse>();
  let inFlight = 0;
  let maxInFlight = 0;
  let counter = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const known = ['/v1/models', '/v1/messages', '/v1/completions', '/v1/chat/completions'].includes(path);
      // other routes (llama.cpp's /props, ...) are answered by `respond` alone, else 404
      const scripted = known
        ? script.shift()
        : (options.respond?.(requests[requests.length - 1]!) ?? {
            status: 404,
            body: { error: { message: `no route ${path}` } },
          });
      const reply: TestServerReply =
        scripted ??
        options.respond?.(requests[requests.length - 1]!) ??
        (options.concurrencyCap !== undefined && inFlight > options.concurrencyCap
          ? {
              status: 429,
              headers: { 'retry-after-ms': '50' },
              body: { error: { message: 'Too many requests' } },
            }
          : {
              delayMs: options.latencyMs,
              body: defaultAnswer(path, body as Record<string, unknown>, ++counter, options),
            });
      if (reply.hang) {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (reply.reset) {
        request.socket.destroy();
        return;
      }
      const content =
        reply.body ??
        (reply.cut ? defaultAnswer(path, body as Record<string, unknown>, ++counter, options) : {});
      const payload = typeof content === 'string' ? content : JSON.stringify(content);
      if (reply.cut) {
        const bytes = Buffer.from(payload);
        response.writeHead(reply.status ?? 200, {
          'content-type': 'application/json',
          'content-length': String(bytes.length),
          ...reply.headers,
        });
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
          response.socket?.destroy();
        });
        return;
      }
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(payload);
    } finally {
      inFlight -= 1;
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    enqueue: (...replies) => {
      script.push(...replies);
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function defaultAnswer(
  path: string,
  body: Record<string, unknown> | undefined,
  counter: number,
  options: LlmTestServerOptions,
): unknown {
  const model = typeof body?.model === 'string' ? body.model : (options.models?.[0] ?? 'test-model');
  const n = options.supportsN === false ? 1 : typeof body?.n === 'number' ? body.n : 1;
  const wantsLogprobs = options.logprobs !== false && body?.logprobs !== undefined && body.logprobs !== false;
  const usage = { prompt_tokens: 10, completion_tokens: 4 * n, prompt_tokens_details: { cached_tokens: 2 } };
  const texts = Array.from({ length: n }, (_, index) => `sample ${index} of ${counter}`);
  if (path === '/v1/models') {
    return {
      object: 'list',
      data: (options.models ?? ['test-model']).map((id) => ({ id, object: 'model' })),
    };
  }
  if (path === '/v1/messages') {
    return {
      id: `msg_${counter}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: texts[0] }],
      stop_reason: 'end_turn',
      usage: {
        input_tokens: 10,
        output_tokens: 4,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    };
  }
  if (path === '/v1/completions') {
    return {
      object: 'text_completion',
      model,
      choices: texts.map((text, index) => ({
        index,
        text,
        finish_reason: 'stop',
        logprobs: wantsLogprobs
          ? { tokens: text.split(' '), token_logprobs: [-0.1, -0.2, -0.3, -0.4] }
          : null,
      })),
      usage,
    };
  }
  return {
    object: 'chat.completion',
    model,
    choices: texts.map((text, index) => ({
      index,
      message: { role: 'assistant', content: text },
      finish_reason: 'stop',
      logprobs: wantsLogprobs
        ? { content: text.split(' ').map((token, position) => ({ token, logprob: -0.1 * (position + 1) })) }
        : null,
    })),
    usage,
  };
}

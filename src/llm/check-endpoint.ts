import { createAnthropic } from './anthropic/index.js';
import type { FetchFunction } from './http.js';
import { createOpenAICompatible, listOpenAICompatibleModels } from './openai-compatible/index.js';
import { resolveOpenAICompatibleOptions } from './openai-compatible/openai-compatible-settings.js';
import { serverSlots } from './openai-compatible/samples-per-request.js';
import type { LlmProvider } from './spec.js';

/** Where to look: the same fields as the provider configs, all optional. */
export interface EndpointCheckOptions {
  readonly kind: 'openai-compatible' | 'anthropic';
  readonly baseURL?: string;
  readonly model?: string;
  readonly api?: 'chat' | 'completions';
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What `symgen models check` found. */
export interface EndpointCheckReport {
  readonly endpoint: string;
  readonly answers: boolean;
  readonly latencyMs: number | undefined;
  /** The model asked for. */
  readonly model: string | undefined;
  /** The model the server says answered. */
  readonly responseModel: string | undefined;
  readonly listedModels: readonly string[] | undefined;
  readonly logprobs: boolean | undefined;
  /** True when two samples came back from one request. */
  readonly nInOneRequest: boolean | undefined;
  /**
   * Most samples one request may ask for: 1 when the server ignores or refuses `n`, a llama.cpp
   * server's parallel slots (`GET /props`), else the provider's own cap. Undefined when unknown.
   */
  readonly samplesPerRequest: number | undefined;
  readonly error: string | undefined;
}

/**
 * Checks an endpoint with one tiny request (`n: 2`, 4 tokens, log-probabilities asked for): does
 * it answer, with which model, does it return log-probabilities, does it honour `n`. Failures are
 * part of the report, not thrown, except a configuration error such as a missing key.
 */
export async function checkEndpoint(options: EndpointCheckOptions): Promise<EndpointCheckReport> {
  const env = options.env ?? process.env;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  let requests = 0;
  const countingFetch: FetchFunction = (input, init) => {
    requests += 1;
    return globalThis.fetch(input, init);
  };
  let listedModels: string[] | undefined;
  let model = options.model;
  let provider: LlmProvider;
  if (options.kind === 'openai-compatible') {
    listedModels = await listOpenAICompatibleModels({ baseURL: options.baseURL, env }, { signal }).catch(
      // some servers have no /models; the generation request below still tells the story
      () => undefined,
    );
    model = model ?? env.SYMGEN_MODEL ?? listedModels?.[0];
    provider = createOpenAICompatible({
      baseURL: options.baseURL,
      model: model ?? '',
      api: options.api,
      env,
      fetch: countingFetch,
      // the report says it; no stderr line
      onNotice: () => {},
    });
  } else {
    model = model ?? env.SYMGEN_MODEL ?? 'claude-haiku-4-5';
    provider = createAnthropic({ baseURL: options.baseURL, model, env, fetch: countingFetch });
  }
  const endpoint = provider.cacheScope ?? provider.provider;
  const base = { endpoint, model, listedModels };
  const failed = (error: string) => ({
    ...base,
    answers: false,
    latencyMs: undefined,
    responseModel: undefined,
    logprobs: undefined,
    nInOneRequest: undefined,
    samplesPerRequest: undefined,
    error,
  });
  if (!model) {
    return failed('no model given and the server lists none: pass --model NAME (or set SYMGEN_MODEL)');
  }
  const started = performance.now();
  try {
    const result = await provider.doGenerate(
      {
        messages: [{ role: 'user', content: 'Reply with the word OK.' }],
        n: 2,
        maxTokens: 4,
        temperature: 0,
        logprobs: true,
      },
      { signal },
    );
    const latencyMs = Math.round(performance.now() - started);
    const nInOneRequest = requests === 1 && result.samples.length >= 2;
    const slots =
      options.kind === 'openai-compatible' && nInOneRequest
        ? await serverSlots(
            resolveOpenAICompatibleOptions({ baseURL: options.baseURL, model: model, env }),
            signal,
          )
        : undefined;
    return {
      ...base,
      answers: true,
      latencyMs,
      responseModel: result.responseModelId,
      logprobs: result.samples.some((sample) => (sample.tokenLogprobs?.length ?? 0) > 0),
      nInOneRequest,
      samplesPerRequest: nInOneRequest ? Math.min(provider.maxSamplesPerCall, slots ?? Infinity) : 1,
      error: undefined,
    };
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}

/** The report as lines a person reads. */
export function formatEndpointCheck(report: EndpointCheckReport): string {
  const yesNo = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'yes' : 'no');
  const lines = [
    `endpoint: ${report.endpoint}`,
    `answers: ${report.answers ? `yes (${report.latencyMs} ms)` : `no: ${report.error}`}`,
    `model: ${report.model ?? 'none'}${report.responseModel && report.responseModel !== report.model ? ` (server reports ${report.responseModel})` : ''}`,
  ];
  if (report.listedModels) lines.push(`listed models: ${report.listedModels.join(', ') || 'none'}`);
  if (report.answers) {
    lines.push(
      `logprobs: ${yesNo(report.logprobs)}`,
      `n > 1 in one request: ${yesNo(report.nInOneRequest)}`,
      `samples per request: ${report.samplesPerRequest === undefined ? 'unknown' : `at most ${report.samplesPerRequest}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

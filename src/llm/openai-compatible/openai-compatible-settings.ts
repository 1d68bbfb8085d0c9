import { ConfigError } from '../../errors/index.js';
import type { FetchFunction } from '../http.js';

/** Options of an OpenAI-compatible provider (OpenAI, vLLM, Ollama, llama.cpp server, LM Studio). */
export interface OpenAICompatibleOptions {
  /** Model name as the server knows it. */
  readonly model: string;
  /** API root ending in `/v1`. @default env OPENAI_BASE_URL, else https://api.openai.com/v1 */
  readonly baseURL?: string;
  /** @default env `apiKeyEnv` (OPENAI_API_KEY); local servers need none */
  readonly apiKey?: string;
  /** Environment variable holding the key. @default 'OPENAI_API_KEY' */
  readonly apiKeyEnv?: string;
  /** `chat` for /chat/completions, `completions` for the legacy /completions. @default 'chat' */
  readonly api?: 'chat' | 'completions';
  /**
   * Most samples per request (`n`). Servers that ignore `n` (Ollama, llama.cpp) are detected and
   * topped up with extra requests anyway. @default 128
   */
  readonly maxSamplesPerCall?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: FetchFunction;
  /** Where one-time notices go (a server refusing `n`). @default a line on stderr */
  readonly onNotice?: (message: string) => void;
  /** Where to read OPENAI_* variables. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Options with defaults and environment applied. */
export interface ResolvedOpenAICompatibleOptions {
  readonly model: string;
  readonly baseURL: string;
  readonly headers: Record<string, string>;
  readonly api: 'chat' | 'completions';
  readonly maxSamplesPerCall: number;
  readonly fetch: FetchFunction | undefined;
}

const openAIBaseURL = 'https://api.openai.com/v1';

/** Applies defaults and environment variables; throws a {@link ConfigError} when the key is missing. */
export function resolveOpenAICompatibleOptions(
  options: OpenAICompatibleOptions,
): ResolvedOpenAICompatibleOptions {
  const env = options.env ?? process.env;
  const baseURL = (options.baseURL ?? env.OPENAI_BASE_URL ?? openAIBaseURL).replace(/\/+$/, '');
  const apiKeyEnv = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const apiKey = options.apiKey ?? env[apiKeyEnv];
  if (!apiKey && baseURL === openAIBaseURL) {
    throw new ConfigError('openai-compatible', [
      {
        path: 'apiKey',
        message: `API key is missing. Pass it using the 'apiKey' option or the ${apiKeyEnv} environment variable, or point 'baseURL' (OPENAI_BASE_URL) at a local server`,
      },
    ]);
  }
  if (!apiKey && options.apiKey === undefined && options.apiKeyEnv !== undefined) {
    // a key variable named on purpose and not set is a mistake, not a keyless local server
    throw new ConfigError('openai-compatible', [
      {
        path: 'apiKeyEnv',
        message: `the environment variable ${apiKeyEnv} (named by apiKeyEnv / --api-key-env) is not set; export it with the API key`,
      },
    ]);
  }
  return {
    model: options.model,
    baseURL,
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...options.headers },
    api: options.api ?? 'chat',
    maxSamplesPerCall: options.maxSamplesPerCall ?? 128,
    fetch: options.fetch,
  };
}

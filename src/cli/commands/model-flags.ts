import { readFileSync } from 'node:fs';
import { ConfigError, InputError } from '../../errors/index.js';
import { createLlm, type Llm } from '../../llm/index.js';

/**
 * Build the model a command reaches through the provider layer from its flags:
 * `--<prefix>-config FILE` (a JSON `llm:` section, as `createLlm` takes) or
 * `--<prefix>-model NAME` with `--<prefix>-base-url URL` and `--<prefix>-provider
 * openai-compatible|anthropic`. Returns `undefined` when neither is given.
 */
export function modelFromFlags(
  flags: Record<string, unknown>,
  prefix: string,
  onMessage?: (message: string) => void,
): Llm | undefined {
  const camel = prefix.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  const configPath = flags[`${camel}Config`];
  const model = flags[`${camel}Model`];
  if (typeof configPath === 'string') {
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (error) {
      throw new InputError(
        `cannot read --${prefix}-config ${configPath}: ${(error as Error).message} (expected a JSON llm config: {"provider": {"kind": ..., "model": ...}})`,
        { file: configPath },
      );
    }
    return createLlm(config, { ...(onMessage ? { onMessage } : {}) });
  }
  if (typeof model !== 'string') {
    if (flags[`${camel}BaseUrl`] !== undefined) {
      throw new ConfigError(`--${prefix}-model`, [
        { path: '', message: `--${prefix}-base-url needs --${prefix}-model NAME too` },
      ]);
    }
    return undefined;
  }
  const kind = flags[`${camel}Provider`] ?? 'openai-compatible';
  const baseURL = flags[`${camel}BaseUrl`];
  return createLlm(
    {
      provider: {
        kind,
        model,
        ...(typeof baseURL === 'string' ? { baseURL } : {}),
      },
    },
    { ...(onMessage ? { onMessage } : {}) },
  );
}

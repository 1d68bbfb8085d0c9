import { readFileSync } from 'node:fs';
import { ConfigError, InputError } from '../../errors/index.js';
import { createLlm, type Llm } from '../../llm/index.js';

/**
 * Build the model a command reaches through the provider layer from its flags. The command's own
 * model (prefix `''`) is spelled as everywhere else: `--model NAME --base-url URL --provider
 * openai-compatible|anthropic`, or `--model-config FILE` (a JSON `llm:` section, as `createLlm`
 * takes). A second model takes its role as prefix: `--judge-model`, `--judge-base-url`,
 * `--judge-provider`, `--judge-config`. Returns `undefined` when no model is given.
 */
export function modelFromFlags(
  flags: Record<string, unknown>,
  prefix: string,
  onMessage?: (message: string) => void,
): Llm | undefined {
  const camel = prefix.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  const key = (name: string) => (camel ? `${camel}${name}` : name.charAt(0).toLowerCase() + name.slice(1));
  const flag = (name: string) => (prefix ? `--${prefix}-${name}` : `--${name}`);
  const configPath = flags[camel ? `${camel}Config` : 'modelConfig'];
  const model = flags[key('Model')];
  if (typeof configPath === 'string') {
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (error) {
      throw new InputError(
        `cannot read ${prefix ? `--${prefix}-config` : '--model-config'} ${configPath}: ${(error as Error).message} (expected a JSON llm config: {"provider": {"kind": ..., "model": ...}})`,
        { file: configPath },
      );
    }
    return createLlm(config, { ...(onMessage ? { onMessage } : {}) });
  }
  if (typeof model !== 'string') {
    if (flags[key('BaseUrl')] !== undefined) {
      throw new ConfigError(flag('model'), [
        { path: '', message: `${flag('base-url')} needs ${flag('model')} NAME too` },
      ]);
    }
    return undefined;
  }
  const kind = flags[key('Provider')] ?? 'openai-compatible';
  const baseURL = flags[key('BaseUrl')];
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

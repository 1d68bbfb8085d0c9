import { createHash } from 'node:crypto';
import nunjucks from 'nunjucks';
import { ConfigError } from '../errors/index.js';
import type { LlmMessage } from '../llm/spec.js';

/** A compiled chat prompt: renders variables into messages. */
export interface PromptTemplate {
  render(variables: Record<string, unknown>): LlmMessage[];
}

const environment = new nunjucks.Environment(null, {
  autoescape: false,
  trimBlocks: true,
  lstripBlocks: true,
  throwOnUndefined: false,
});

/**
 * Compiles a template in Jinja syntax (nunjucks), once, so a syntax error is a config error at start
 * (`path` names the config field) instead of a failure in the middle of a run.
 * @example
 * const template = compilePromptTemplate({ user: 'Question: {{ question }}' }, 'prompts.genA');
 */
export function compilePromptTemplate(
  config: { system?: string | undefined; user: string },
  path: string,
): PromptTemplate {
  const compile = (source: string, field: string) => {
    try {
      const template = nunjucks.compile(source, environment);
      // nunjucks compiles lazily; rendering with no variables surfaces syntax errors now
      template.render({});
      return template;
    } catch (error) {
      throw new ConfigError('prompt template', [
        { path: `${path}.${field}`, message: `not a valid template: ${firstLine((error as Error).message)}` },
      ]);
    }
  };
  const system = config.system === undefined ? undefined : compile(config.system, 'system');
  const user = compile(config.user, 'user');
  return {
    render(variables) {
      const messages: LlmMessage[] = [];
      if (system) messages.push({ role: 'system', content: system.render(variables).trim() });
      messages.push({ role: 'user', content: user.render(variables).trim() });
      return messages;
    },
  };
}

/** SHA-256 of a prompt's messages (first 16 hex digits): equal prompts, equal hashes. */
export function promptHash(messages: readonly LlmMessage[]): string {
  return createHash('sha256').update(JSON.stringify(messages)).digest('hex').slice(0, 16);
}

function firstLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 200);
}

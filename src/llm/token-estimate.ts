import type { LlmMessage, LlmRequest } from './spec.js';

/** Characters a token holds, for estimates made before any tokenizer has seen the text. */
export const CHARACTERS_PER_TOKEN = 4;

/** Characters of a prompt's messages. */
export function promptCharacters(messages: readonly LlmMessage[]): number {
  return messages.reduce((sum, message) => sum + message.content.length, 0);
}

/**
 * A request's tokens estimated before sending (the rate limiter's reservation, the budget's check):
 * the prompt at {@link CHARACTERS_PER_TOKEN}, and the completion as `maxTokens` (256 when unset) for
 * every sample, an upper bound.
 */
export function estimateRequestTokens(request: LlmRequest): {
  promptTokens: number;
  completionTokens: number;
} {
  return {
    promptTokens: Math.ceil(promptCharacters(request.messages) / CHARACTERS_PER_TOKEN),
    completionTokens: (request.maxTokens ?? 256) * (request.n ?? 1),
  };
}

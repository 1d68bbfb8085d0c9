import type { LlmRateLimitState } from './spec.js';

/**
 * Reads a server's rate-limit headers: OpenAI's (`x-ratelimit-remaining-requests`,
 * `x-ratelimit-remaining-tokens`, `x-ratelimit-reset-requests`, `x-ratelimit-reset-tokens`, resets as
 * durations such as `1s`, `6m0s`, `20ms`) and Anthropic's (`anthropic-ratelimit-requests-remaining`,
 * `anthropic-ratelimit-tokens-remaining`, `...-reset` as RFC 3339 times; the input- and output-token
 * budgets count as token budgets, the smaller one wins). Undefined when none is there.
 */
export function parseRateLimitHeaders(
  headers: Headers,
  now: number = Date.now(),
): LlmRateLimitState | undefined {
  const openAi = {
    remainingRequests: count(headers.get('x-ratelimit-remaining-requests')),
    remainingTokens: count(headers.get('x-ratelimit-remaining-tokens')),
    resetRequestsMs: duration(headers.get('x-ratelimit-reset-requests')),
    resetTokensMs: duration(headers.get('x-ratelimit-reset-tokens')),
  };
  const tokenBudgets = ['tokens', 'input-tokens', 'output-tokens'].map((kind) => ({
    remaining: count(headers.get(`anthropic-ratelimit-${kind}-remaining`)),
    reset: instant(headers.get(`anthropic-ratelimit-${kind}-reset`), now),
  }));
  const tightest = tokenBudgets
    .filter((budget) => budget.remaining !== undefined)
    .sort((a, b) => a.remaining! - b.remaining!)[0];
  const state: LlmRateLimitState = {
    remainingRequests:
      openAi.remainingRequests ?? count(headers.get('anthropic-ratelimit-requests-remaining')),
    remainingTokens: openAi.remainingTokens ?? tightest?.remaining,
    resetRequestsMs:
      openAi.resetRequestsMs ?? instant(headers.get('anthropic-ratelimit-requests-reset'), now),
    resetTokensMs: openAi.resetTokensMs ?? tightest?.reset,
  };
  const present = Object.entries(state).filter(([, value]) => value !== undefined);
  return present.length === 0 ? undefined : (Object.fromEntries(present) as LlmRateLimitState);
}

function count(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1s`, `6m0s`, `1h2m3.5s`, `20ms`, or a bare number of seconds. */
export function duration(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((sum, part) => sum + Number(part[1]) * UNIT_MS[part[2]!]!, 0);
}

function instant(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? Math.max(0, time - now) : undefined;
}

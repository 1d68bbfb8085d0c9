import { z } from 'zod';
import { ConfigError, zodIssues } from '../../errors/index.js';
import { checkEndpoint, formatEndpointCheck } from '../../llm/check-endpoint.js';

const flagsSchema = z.strictObject({
  provider: z.enum(['openai-compatible', 'anthropic']),
  baseUrl: z.url().optional(),
  model: z.string().min(1).optional(),
  api: z.enum(['chat', 'completions']),
  timeoutMs: z.coerce.number().int().positive(),
  json: z.boolean(),
});

/** Runs `symgen models check`; exit code 0 when the endpoint answered, 1 when it did not. */
export async function runModelsCheck(flags: Record<string, unknown>): Promise<number> {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) {
    throw new ConfigError('symgen models check', zodIssues(parsed.error, { prefix: '--' }));
  }
  const options = parsed.data;
  const report = await checkEndpoint({
    kind: options.provider,
    baseURL: options.baseUrl,
    model: options.model,
    api: options.api,
    timeoutMs: options.timeoutMs,
  });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatEndpointCheck(report));
  return report.answers ? 0 : 1;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, InputError, zodIssues } from '../../errors/index.js';
import type { TaskPlugin } from '../spec.js';

const fn = z.custom<(...args: never[]) => unknown>(
  (value) => typeof value === 'function',
  'expected a function',
);

/** The shape a user-defined task module must export (as `default` or `task`). */
export const taskPluginSchema = z.looseObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase id such as "regex" (letters, digits, -)'),
  extract: fn,
  normalise: fn,
  createExecutor: fn,
  features: fn.optional(),
  matches: fn.optional(),
  knowledge: fn.optional(),
  environment: fn.optional(),
  reference: fn.optional(),
  sample: fn.optional(),
  expand: fn.optional(),
  describe: fn.optional(),
  description: z.string().optional(),
  mix: z
    .looseObject({
      target: fn,
      measure: fn,
      divergence: fn,
      weights: fn,
      remaining: fn.optional(),
      aim: fn,
      parse: fn,
    })
    .optional(),
  breakdown: z.strictObject({ feature: z.string().min(1), levels: z.array(z.string()) }).optional(),
  accuracyName: z.string().min(1).optional(),
  modelTokens: z.looseObject({ encode: fn, decode: fn }).optional(),
  tokens: fn.optional(),
  schema: fn.optional(),
});

/**
 * Load a user-defined task from a JavaScript module (`--task-module ./my-task.mjs`): its default
 * export or its `task` export must be a task plugin (see docs/tasks.md).
 * @throws InputError when the file is missing or fails to load; ConfigError when the export is not a task.
 */
export async function loadTaskModule(path: string): Promise<TaskPlugin<never>> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new InputError(
      `task module ${path} does not exist; pass the path of a .mjs/.js file exporting a task`,
      {
        file: path,
      },
    );
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`task module ${path} failed to load: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
  const exported = loaded.default ?? loaded.task;
  const parsed = taskPluginSchema.safeParse(exported);
  if (!parsed.success) {
    throw new ConfigError(`task module ${path} (its default or \`task\` export)`, zodIssues(parsed.error));
  }
  return exported as TaskPlugin<never>;
}

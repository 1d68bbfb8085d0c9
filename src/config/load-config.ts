import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue, zodIssues } from '../errors/index.js';
import { type GenerateConfig, generateConfigSchema } from './generate-config.js';

/** A plain nested object of overrides (from flags), merged over the file. */
export type ConfigOverrides = Record<string, unknown>;

/**
 * Loads a `symgen generate` configuration: the YAML file (when given), with `overrides` (from flags)
 * merged over it, validated by {@link generateConfigSchema}. Relative paths in the file are taken
 * from the file's folder; overrides should already be absolute. Throws a {@link ConfigError} naming
 * every bad field path and what was expected.
 * @example
 * const config = loadGenerateConfig('examples/geoquery/generate.yaml', { count: 20 });
 */
export function loadGenerateConfig(
  file: string | undefined,
  overrides: ConfigOverrides = {},
  options: {
    /** Settings under the file (a resumed run's stored configuration). */
    base?: Record<string, unknown>;
    /** Drop the `llm` section: run the offline generator. */
    offline?: boolean;
  } = {},
): GenerateConfig {
  const fromFile = file === undefined ? {} : readConfigFile(file);
  const merged = mergeConfig(mergeConfig(options.base ?? {}, fromFile), overrides);
  if (options.offline) delete merged.llm;
  return parseGenerateConfig(merged, file ?? 'flags');
}

/** A config file's settings before validation, with its relative paths resolved from its folder. */
export function readConfigFile(file: string): Record<string, unknown> {
  return resolvePaths(readYamlFile(file), dirname(resolve(file)));
}

/** Validates an already merged configuration object; `source` names it in errors. */
export function parseGenerateConfig(input: unknown, source: string): GenerateConfig {
  const parsed = generateConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(source, zodIssues(parsed.error, { root: '(root)' }));
  const config = parsed.data;
  const issues: ConfigIssue[] = [];
  if (config.knowledge.quotas && config.knowledge.databases) {
    for (const id of Object.keys(config.knowledge.quotas)) {
      if (!config.knowledge.databases.includes(id))
        issues.push({
          path: `knowledge.quotas.${id}`,
          message: `database ${id} is not in knowledge.databases (${config.knowledge.databases.join(', ')})`,
        });
    }
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  return config;
}

function readYamlFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) {
    throw new ConfigError(file, [{ path: '(file)', message: 'config file not found (check the path)' }]);
  }
  const document = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  const problem = document.errors[0];
  if (problem) {
    const line = problem.linePos?.[0];
    throw new ConfigError(file, [
      {
        path: line ? `line ${line.line}, column ${line.col}` : '(yaml)',
        message: `not valid YAML: ${problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      },
    ]);
  }
  const value = document.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(file, [
      { path: '(root)', message: 'expected a mapping of settings (task, knowledge, ...)' },
    ]);
  }
  return value as Record<string, unknown>;
}

const PATH_FIELDS: readonly (readonly string[])[] = [
  ['knowledge', 'db'],
  ['demonstrations', 'file'],
  ['generation', 'conditions', 'reference'],
  ['output', 'dir'],
  ['taskModule'],
  ['taskOptions', 'fixture'],
];

/** Relative paths written in a file are relative to the file, not to where symgen runs. */
function resolvePaths(config: Record<string, unknown>, base: string): Record<string, unknown> {
  const copy = structuredClone(config);
  for (const fields of PATH_FIELDS) {
    let holder: unknown = copy;
    for (const section of fields.slice(0, -1))
      holder = isPlainObject(holder) ? (holder as Record<string, unknown>)[section] : undefined;
    const field = fields[fields.length - 1]!;
    if (isPlainObject(holder)) {
      const value = holder[field];
      if (typeof value === 'string' && !isAbsolute(value)) holder[field] = resolve(base, value);
    }
  }
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges `overrides` over `base` (objects merge, everything else replaces; undefined is skipped). */
export function mergeConfig(
  base: Record<string, unknown>,
  overrides: ConfigOverrides,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value;
  }
  return merged;
}

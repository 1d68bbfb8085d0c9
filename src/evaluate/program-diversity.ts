import { defaultTask } from '../tasks/registry/index.js';
import type { SourceSchema, TaskPlugin } from '../tasks/spec.js';

/** Diversity of a set of programs of one task. */
export interface ProgramDiversity {
  readonly programs: number;
  /**
   * Share of programs at each level of the task's `breakdown` feature (SQL: Spider hardness; `unknown`:
   * no level, e.g. did not parse). Only `unknown` for a task without a breakdown.
   */
  readonly hardness: Record<string, number>;
  /** The task's breakdown (feature and levels in order) the shares above are of, when it has one. */
  readonly breakdown?: { readonly feature: string; readonly levels: readonly string[] };
  /** Share of programs using each clause (`where`, `join`, `group-by`, ...), from the task's `features`. */
  readonly clauses: Record<string, number>;
  /** Distinct tables read (the task's `features`), and the share of the schema's tables when a schema is known. */
  readonly tables: number;
  readonly tableCoverage?: number;
  /** Distinct `table.column` pairs used, and the share of the schema's columns when known. */
  readonly columns: number;
  readonly columnCoverage?: number;
  /** Distinct templates (programs with literals replaced) and their share of the programs. */
  readonly templates: number;
  readonly templateRatio: number;
  /** Distinct program texts (white space aside). */
  readonly distinctPrograms: number;
  /** Distinct normal forms (the task's `normalise`) and their share of the programs. */
  readonly normalForms: number;
  readonly normalFormRatio: number;
  /** Mean tokens a program (the task's `tokens`, else a generic split). */
  readonly meanTokens: number;
  /** Distinct token n-grams over all token n-grams, for n = 1, 2, 3. */
  readonly tokenDistinct1: number;
  readonly tokenDistinct2: number;
  readonly tokenDistinct3: number;
}

/** Words, numbers, quoted strings and single symbols: the tokens of a task without its own. */
export function genericTokens(program: string): string[] {
  return program.match(/[\p{L}_][\p{L}\p{N}_]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S/gu) ?? [];
}

/**
 * Diversity of a task's programs: distinct programs, normal forms (`normalise`) and templates
 * (`template`), token n-gram diversity (`tokens`), and from the task's `features` the shares of its
 * breakdown levels (`breakdown`; SQL: hardness), clauses and tables read. `schemas` (by source id,
 * or one for all under `''`; the task's `schema`) turns tables and columns into coverage. The task
 * must be ready (`task.ready()`: SQL's parser loaded).
 */
export function programDiversity(
  programs: readonly { program: string; dbId?: string }[],
  schemas?: ReadonlyMap<string, SourceSchema>,
  task: TaskPlugin<never> = defaultTask(),
): ProgramDiversity {
  const { breakdown } = task;
  const hardness: Record<string, number> = Object.fromEntries(
    [...(breakdown?.levels ?? []), 'unknown'].map((level) => [level, 0]),
  );
  const clauses: Record<string, number> = {};
  const tables = new Set<string>();
  const columns = new Set<string>();
  const templates = new Set<string>();
  const texts = new Set<string>();
  const normalForms = new Set<string>();
  const grams = [new Set<string>(), new Set<string>(), new Set<string>()];
  const gramTotals = [0, 0, 0];
  let tokenCount = 0;
  for (const { program, dbId } of programs) {
    const raw = task.features?.(program) ?? {};
    const list = (value: unknown) =>
      Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    const level = breakdown ? raw[breakdown.feature] : undefined;
    const features = {
      level: typeof level === 'string' ? level : 'unknown',
      clauses: list(raw.clauses),
      tables: list(raw.tables),
    };
    hardness[features.level] = (hardness[features.level] ?? 0) + 1;
    for (const clause of features.clauses) clauses[clause] = (clauses[clause] ?? 0) + 1;
    const scope = schemas?.size === 1 ? '' : (dbId ?? '');
    for (const table of features.tables) tables.add(`${scope}\u0000${table}`);
    const normalised = task.normalise(program);
    templates.add(`${scope}\u0000${task.template?.(program) ?? normalised}`);
    texts.add(program.replace(/\s+/g, ' ').trim());
    normalForms.add(normalised);
    const tokens = task.tokens?.(program) ?? genericTokens(program);
    tokenCount += tokens.length;
    for (let n = 1; n <= 3; n++) {
      for (let index = 0; index + n <= tokens.length; index++) {
        grams[n - 1]!.add(tokens.slice(index, index + n).join('\u0000'));
        gramTotals[n - 1]!++;
      }
    }
    if (!schemas) continue;
    const words = new Set(tokens.map((token) => token.replace(/^["`[]|["`\]]$/g, '').toLowerCase()));
    const schema = schemas?.get(scope) ?? schemas?.get(dbId ?? '');
    for (const table of features.tables) {
      const declared = schema?.tables.find((entry) => entry.name.toLowerCase() === table);
      const names = declared ? declared.columns.map((column) => column.name.toLowerCase()) : [];
      for (const name of names) if (words.has(name)) columns.add(`${scope}\u0000${table}.${name}`);
    }
  }
  const share = (counts: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(counts)
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([key, count]) => [key, programs.length === 0 ? 0 : count / programs.length]),
    );
  let schemaTables = 0;
  let schemaColumns = 0;
  for (const schema of schemas?.values() ?? []) {
    schemaTables += schema.tables.length;
    for (const table of schema.tables) schemaColumns += table.columns.length;
  }
  const ratio = (count: number) => (programs.length === 0 ? 0 : count / programs.length);
  const distinct = (n: number) => (gramTotals[n - 1] === 0 ? 0 : grams[n - 1]!.size / gramTotals[n - 1]!);
  return {
    programs: programs.length,
    hardness: share(hardness),
    clauses: share(clauses),
    tables: tables.size,
    ...(schemaTables > 0 ? { tableCoverage: tables.size / schemaTables } : {}),
    columns: columns.size,
    ...(schemaColumns > 0 ? { columnCoverage: columns.size / schemaColumns } : {}),
    templates: templates.size,
    templateRatio: ratio(templates.size),
    distinctPrograms: texts.size,
    normalForms: normalForms.size,
    normalFormRatio: ratio(normalForms.size),
    meanTokens: ratio(tokenCount),
    tokenDistinct1: distinct(1),
    tokenDistinct2: distinct(2),
    tokenDistinct3: distinct(3),
    ...(breakdown ? { breakdown: { feature: breakdown.feature, levels: [...breakdown.levels] } } : {}),
  };
}

import { defaultTask } from '../tasks/registry/index.js';
import type { TaskPlugin } from '../tasks/spec.js';
import { HARDNESS_LEVELS } from '../tasks/sql/hardness.js';
import type { SqlSchema } from '../tasks/sql/schema.js';
import { tokenizeSql } from '../tasks/sql/tokenize.js';

/** Diversity of a set of SQL programs. */
export interface ProgramDiversity {
  readonly programs: number;
  /** Share of programs at each Spider hardness level (`unknown`: did not parse). */
  readonly hardness: Record<string, number>;
  /** Share of programs using each clause (`where`, `join`, `group-by`, ...). */
  readonly clauses: Record<string, number>;
  /** Distinct tables read, and the share of the schema's tables when a schema is known. */
  readonly tables: number;
  readonly tableCoverage?: number;
  /** Distinct `table.column` pairs used, and the share of the schema's columns when known. */
  readonly columns: number;
  readonly columnCoverage?: number;
  /** Distinct templates (programs with literals replaced) and their share of the programs. */
  readonly templates: number;
  readonly templateRatio: number;
}

/**
 * Hardness levels, clauses, tables and columns covered and distinct templates of a task's programs,
 * from the task's `features` (the ones it has: `hardness`, `clauses`, `tables`) and `template`.
 * `schemas` (sql: by db id, or one for all under `''`) turns counts into coverage. The task must be
 * ready (`task.ready()`: the SQL parser loaded).
 */
export function programDiversity(
  programs: readonly { program: string; dbId?: string }[],
  schemas?: ReadonlyMap<string, SqlSchema>,
  task: TaskPlugin<never> = defaultTask(),
): ProgramDiversity {
  const hardness: Record<string, number> = Object.fromEntries(
    [...HARDNESS_LEVELS, 'unknown'].map((level) => [level, 0]),
  );
  const clauses: Record<string, number> = {};
  const tables = new Set<string>();
  const columns = new Set<string>();
  const templates = new Set<string>();
  for (const { program, dbId } of programs) {
    const raw = task.features?.(program) ?? {};
    const list = (value: unknown) =>
      Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    const features = {
      hardness: typeof raw.hardness === 'string' ? raw.hardness : 'unknown',
      clauses: list(raw.clauses),
      tables: list(raw.tables),
    };
    hardness[features.hardness] = (hardness[features.hardness] ?? 0) + 1;
    for (const clause of features.clauses) clauses[clause] = (clauses[clause] ?? 0) + 1;
    const scope = schemas?.size === 1 ? '' : (dbId ?? '');
    for (const table of features.tables) tables.add(`${scope}\u0000${table}`);
    templates.add(`${scope}\u0000${task.template?.(program) ?? task.normalise(program)}`);
    if (!schemas) continue;
    const words = new Set(
      tokenizeSql(program)
        .filter((token) => token.kind === 'word' || token.kind === 'quoted-identifier')
        .map((token) => token.text.replace(/^["`[]|["`\]]$/g, '').toLowerCase()),
    );
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
  return {
    programs: programs.length,
    hardness: share(hardness),
    clauses: share(clauses),
    tables: tables.size,
    ...(schemaTables > 0 ? { tableCoverage: tables.size / schemaTables } : {}),
    columns: columns.size,
    ...(schemaColumns > 0 ? { columnCoverage: columns.size / schemaColumns } : {}),
    templates: templates.size,
    templateRatio: programs.length === 0 ? 0 : templates.size / programs.length,
  };
}

/**
 * The layering rule of docs/architecture.md as data and a checker: every import in src/ points down
 * (or within its layer), and no task folder imports another task folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Layers from the top; a module may import its own layer and the ones below. Paths relative to src/. */
export const LAYERS: readonly (readonly string[])[] = [
  // entry points: the command line, the public index, the fakes for users' tests
  ['cli/', 'index.ts', 'testing/'],
  // stages
  [
    'generate/',
    'curate/',
    'evaluate/',
    'report/',
    'review/',
    'store/',
    'config/',
    'prompt/',
    'dataset/',
    'model/',
    'distributed/',
  ],
  // the task registry (knows every built-in task)
  ['tasks/registry/'],
  // the task plugins, one folder per language
  ['tasks/sql/', 'tasks/python/', 'tasks/math/', 'tasks/bash/', 'tasks/top/', 'tasks/qdmr/'],
  // the contract every task implements, code several tasks share (Python source: python, math), and
  // the agreement verifier, which knows tasks only through the contract
  ['tasks/spec.ts', 'tasks/structural-executor.ts', 'tasks/shared/', 'verify/'],
  // process isolation, model providers, files
  ['sandbox/', 'llm/', 'io/'],
  // errors, the version, the seeded random generator
  ['errors/', 'version.ts', 'random.ts'],
];

/** The task plugin folders: none may import another. */
const TASK_FOLDER = /^tasks\/(?!registry\/|shared\/)([^/]+)\//;

/**
 * Folders that reach a language only through the task contract (and the registry): a module in one
 * of them must not import a task plugin folder (`tasks/sql/`, `tasks/python/`, ...).
 */
export const TASK_NEUTRAL: readonly string[] = [
  'cli/',
  'generate/',
  'curate/',
  'report/',
  'store/',
  'verify/',
];

/**
 * Imports of a task plugin from a task-neutral folder that stay, each with why (`from -> to`, paths
 * relative to src/ as `importEdges` gives them). A new one fails the test until it is placed here.
 */
export const TASK_IMPORTS_ALLOWED: Readonly<Record<string, string>> = {
  'curate/curate-options.ts -> tasks/sql/hardness.js':
    "the config schema's `filters.hardness` names Spider's levels, so a typo fails when the options are read",
  'report/example-pairs.ts -> tasks/sql/features.js':
    "the report's examples by hardness level: SQL's report sections (hardness, clauses, schema coverage) are not behind the contract yet",
  'report/example-pairs.ts -> tasks/sql/hardness.js':
    "the report's examples by hardness level, in Spider's order (SQL's report sections)",
  'report/render-report.ts -> tasks/sql/hardness.js':
    "the report's hardness chart, in Spider's order (SQL's report sections)",
  'report/run-data.ts -> tasks/sql/databases.js':
    "the report's schema coverage reads the databases of --db (SQL's report sections)",
  'report/run-data.ts -> tasks/sql/schema.js':
    "the report's schema coverage reads the databases' schemas (SQL's report sections)",
};

export interface ImportEdge {
  /** Importing file, relative to src/. */
  readonly from: string;
  /** Imported file, relative to src/ (its extension as written, `.js` for TypeScript sources). */
  readonly to: string;
}

/** Every relative import, export-from and dynamic import of one source text. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The layer index of a module (path relative to src/); throws for a module no layer names. */
export function layerOf(path: string): number {
  const index = LAYERS.findIndex((layer) =>
    layer.some((entry) =>
      entry.endsWith('/') ? path.startsWith(entry) : path === entry.replace(/\.ts$/, '.ts'),
    ),
  );
  if (index < 0)
    throw new Error(
      `${path} is in no layer: add its folder to LAYERS (test/layering.ts) and docs/architecture.md`,
    );
  return index;
}

/** The violations among `edges`, one line each: an upward import, or a task folder importing another. */
export function layeringViolations(edges: readonly ImportEdge[]): string[] {
  const violations: string[] = [];
  for (const { from, to } of edges) {
    const target = to.replace(/\.js$/, '.ts');
    const [fromLayer, toLayer] = [layerOf(from), layerOf(target)];
    if (toLayer < fromLayer) {
      violations.push(
        `${from} imports ${target}: layer ${fromLayer} (${LAYERS[fromLayer]![0]}) must not import layer ${toLayer} (${LAYERS[toLayer]![0]})`,
      );
    }
    const fromTask = TASK_FOLDER.exec(from)?.[1];
    const toTask = TASK_FOLDER.exec(target)?.[1];
    if (fromTask && toTask && fromTask !== toTask) {
      violations.push(`${from} imports ${target}: task ${fromTask} must not import task ${toTask}`);
    }
  }
  return violations;
}

/** Every import edge of the TypeScript sources under `root` (src/); tests (`*.test.ts`) may import anything. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__fixtures__') walk(path);
      } else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        const from = relative(root, path);
        for (const specifier of importsOf(readFileSync(path, 'utf8'))) {
          const to = relative(root, resolve(dirname(path), specifier));
          // Tests may reach outside src/ (test/shared-data.ts); only imports within src/ are layered.
          if (!to.startsWith('..')) edges.push({ from, to });
        }
      }
    }
  };
  walk(root);
  return edges;
}

/**
 * The imports of a task plugin folder from a task-neutral folder (`TASK_NEUTRAL`) that `allowed`
 * does not list, one line each; and each allowed import no longer made (the list must stay current).
 */
export function taskNeutralityViolations(
  edges: readonly ImportEdge[],
  allowed: Readonly<Record<string, string>> = TASK_IMPORTS_ALLOWED,
): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  for (const { from, to } of edges) {
    if (!TASK_NEUTRAL.some((folder) => from.startsWith(folder))) continue;
    const task = TASK_FOLDER.exec(to)?.[1];
    if (!task) continue;
    const edge = `${from} -> ${to}`;
    seen.add(edge);
    if (allowed[edge] === undefined)
      violations.push(
        `${from} imports ${to}: ${from.split('/')[0]}/ reaches task ${task} only through the task contract (src/tasks/spec.ts) or the registry`,
      );
  }
  for (const edge of Object.keys(allowed))
    if (!seen.has(edge))
      violations.push(`${edge} is allowed in TASK_IMPORTS_ALLOWED but no longer made: remove it`);
  return violations;
}

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  importEdges,
  importsOf,
  layeringViolations,
  layerOf,
  TASK_IMPORTS_ALLOWED,
  taskNeutralityViolations,
} from './layering.js';

const SRC = join(import.meta.dirname, '..', 'src');

describe('layering (docs/architecture.md)', () => {
  it('finds no import from a lower layer to a higher one, and none between task folders, in src/', () => {
    const edges = importEdges(SRC);
    // The walk really reads the tree: the CLI imports the task registry, the SQL task the verifier.
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'tasks/sql/verify-file.ts', to: 'verify/verify-file.js' });
    expect(layeringViolations(edges)).toEqual([]);
  });

  it('finds no task plugin import in cli/, generate/, curate/, report/, store/, verify/ but the allowed ones, each with its reason', () => {
    const edges = importEdges(SRC);
    expect(taskNeutralityViolations(edges)).toEqual([]);
    for (const reason of Object.values(TASK_IMPORTS_ALLOWED)) expect(reason.length).toBeGreaterThan(20);
    // the stages reach SQL through the contract: generate's mix and grammar, curate's mix, sample's --mix
    const fromStages = edges
      .filter((edge) => /^(generate|curate|cli)\//.test(edge.from))
      .map((edge) => edge.to);
    expect(
      fromStages.filter((to) => to.startsWith('tasks/sql/') && !to.startsWith('tasks/sql/hardness')),
    ).toEqual([]);
  });

  it('flags a new SQL import from a task-neutral folder, and an allowed import no longer made', () => {
    expect(
      taskNeutralityViolations(
        [
          { from: 'generate/pipeline/generate.ts', to: 'tasks/sql/mix.js' },
          { from: 'cli/commands/evaluate-action.ts', to: 'tasks/sql/index.js' },
          { from: 'store/export/index.ts', to: 'tasks/bash/index.js' },
          { from: 'generate/pipeline/generate.ts', to: 'tasks/registry/index.js' },
          { from: 'generate/pipeline/generate.ts', to: 'tasks/spec.js' },
          { from: 'evaluate/sql-accuracy.ts', to: 'tasks/sql/index.js' },
          { from: 'report/run-data.ts', to: 'tasks/sql/schema.js' },
        ],
        { 'report/run-data.ts -> tasks/sql/schema.js': 'why', 'curate/x.ts -> tasks/sql/y.js': 'why' },
      ),
    ).toEqual([
      'generate/pipeline/generate.ts imports tasks/sql/mix.js: generate/ reaches task sql only through the task contract (src/tasks/spec.ts) or the registry',
      'cli/commands/evaluate-action.ts imports tasks/sql/index.js: cli/ reaches task sql only through the task contract (src/tasks/spec.ts) or the registry',
      'store/export/index.ts imports tasks/bash/index.js: store/ reaches task bash only through the task contract (src/tasks/spec.ts) or the registry',
      'curate/x.ts -> tasks/sql/y.js is allowed in TASK_IMPORTS_ALLOWED but no longer made: remove it',
    ]);
  });

  it('keeps the test runner out of the package: no source but tests imports vitest', () => {
    const sources = importEdges(SRC).map((edge) => edge.from);
    const offenders = [...new Set(sources)].filter((path) =>
      /^\s*(?:import|export)\b[^;]*['"]vitest['"]|\bimport\(['"]vitest['"]\)/m.test(
        readFileSync(join(SRC, path), 'utf8'),
      ),
    );
    expect(sources).toContain('testing/task-contract.ts');
    expect(offenders).toEqual([]);
  });

  it('reads static, type-only, re-export and dynamic imports', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "import './side-effect.js';",
      "const d = await import('../d.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf(source)).toEqual(['./a.js', '../b/b.js', './c.js', './side-effect.js', '../d.js']);
  });

  it('flags an upward import and a task importing another task', () => {
    expect(
      layeringViolations([
        { from: 'verify/vote.ts', to: 'tasks/sql/index.js' },
        { from: 'sandbox/process/limits.ts', to: 'cli/main.js' },
        { from: 'tasks/math/index.ts', to: 'tasks/python/index.js' },
        { from: 'tasks/sql/task.ts', to: 'verify/verify-file.js' },
        { from: 'tasks/python/index.ts', to: 'tasks/shared/extract-python.js' },
      ]),
    ).toEqual([
      'verify/vote.ts imports tasks/sql/index.ts: layer 4 (tasks/spec.ts) must not import layer 3 (tasks/sql/)',
      'sandbox/process/limits.ts imports cli/main.ts: layer 5 (sandbox/) must not import layer 0 (cli/)',
      'tasks/math/index.ts imports tasks/python/index.ts: task math must not import task python',
    ]);
  });

  it('refuses a module in no layer, so a new folder must be placed', () => {
    expect(() => layerOf('plugins/x.ts')).toThrow(/in no layer/);
  });

  describe('on a planted tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'symgen-layering-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };

    it('finds the violation planted in a source file, and ignores tests', () => {
      write('errors/index.ts', 'export class SymgenError extends Error {}\n');
      write('io/jsonl.ts', "import { SymgenError } from '../errors/index.js';\n");
      write('verify/vote.ts', "import type { Hardness } from '../tasks/sql/hardness.js';\n");
      write('tasks/sql/hardness.ts', "import { x } from '../../io/jsonl.js';\n");
      write('tasks/sql/hardness.test.ts', "import { main } from '../../cli/main.js';\n");
      write('cli/main.ts', "export const main = await import('../tasks/sql/hardness.js');\n");
      expect(layeringViolations(importEdges(root))).toEqual([
        'verify/vote.ts imports tasks/sql/hardness.ts: layer 4 (tasks/spec.ts) must not import layer 3 (tasks/sql/)',
      ]);
    });
  });
});

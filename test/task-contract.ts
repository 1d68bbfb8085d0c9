/**
 * The contract every task plugin passes: one shared suite, each task's test feeding it its cases
 * (like hono's `src/router/common.case.test.ts`). Call `describeTaskContract(task, cases)` inside a
 * test file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEnvironment, ExecutionResult, Executor, TaskPlugin } from '../src/tasks/spec.js';

/** The cases a task feeds the contract suite. */
export interface TaskContractCases<Options> {
  /** Options for `createExecutor`. */
  readonly options?: Options;
  /** Where the programs below run (a database, an example's tests, a fixture). */
  readonly environment: ExecutionEnvironment;
  /** Model text (fenced, prose, bare) and the program `extract` must pull out of it. */
  readonly extract: readonly { readonly text: string; readonly program: string }[];
  /** Model text holding no program: `extract` gives null. */
  readonly noProgram: readonly string[];
  /**
   * Groups of programs: inside a group every program executes `ok` to the same key; programs of
   * different groups get different keys. At least two groups.
   */
  readonly equalGroups: readonly (readonly string[])[];
  /** Programs that must give a result that is not `ok`, with an error message, and never throw. */
  readonly invalid: readonly string[];
}

/** Register the contract tests of one task plugin. */
export function describeTaskContract<Options>(
  task: TaskPlugin<Options>,
  cases: TaskContractCases<Options>,
): void {
  describe(`task contract: ${task.id}`, () => {
    let executor: Executor;
    beforeAll(() => {
      executor = task.createExecutor(cases.options);
    });
    afterAll(async () => {
      await executor.close();
    });
    const run = (program: string): Promise<ExecutionResult> =>
      executor.execute(program, cases.environment, { normalised: task.normalise(program) });

    it('has an id usable as --task', () => {
      expect(task.id).toMatch(/^[a-z][a-z0-9-]*$/);
    });

    it('extracts the program from fenced, prose and bare text', () => {
      expect(cases.extract.length).toBeGreaterThan(0);
      for (const { text, program } of cases.extract)
        expect({ text, got: task.extract(text) }).toEqual({ text, got: program });
      for (const text of [...cases.noProgram, ''])
        expect({ text, got: task.extract(text) }).toEqual({ text, got: null });
    });

    it('prepares text as extract then normalise do, when it has prepare', () => {
      if (!task.prepare) return;
      for (const text of [...cases.extract.map((entry) => entry.text), ...cases.noProgram]) {
        const program = task.extract(text);
        const expected = program === null ? null : { program, normalised: task.normalise(program) };
        expect({ text, prepared: task.prepare(text) }).toEqual({ text, prepared: expected });
      }
    });

    it('normalises idempotently', () => {
      const programs = [...cases.equalGroups.flat(), ...cases.extract.map((entry) => entry.program)];
      for (const program of programs) {
        const once = task.normalise(program);
        expect({ program, twice: task.normalise(once) }).toEqual({ program, twice: once });
      }
    });

    it('gives equal programs equal keys and different results different keys', async () => {
      expect(cases.equalGroups.length).toBeGreaterThanOrEqual(2);
      const keys: string[] = [];
      for (const group of cases.equalGroups) {
        const results = await Promise.all(group.map(run));
        results.forEach((result, index) => {
          expect({ program: group[index], status: result.status, error: result.error }).toEqual({
            program: group[index],
            status: 'ok',
            error: undefined,
          });
          expect(typeof result.key).toBe('string');
        });
        expect(new Set(results.map((result) => result.key)).size).toBe(1);
        keys.push(results[0]!.key!);
      }
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('reports bad programs as error results, never as throws', async () => {
      expect(cases.invalid.length).toBeGreaterThan(0);
      const results = await Promise.all(cases.invalid.map(run));
      results.forEach((result, index) => {
        expect({ program: cases.invalid[index], ok: result.status === 'ok' }).toEqual({
          program: cases.invalid[index],
          ok: false,
        });
        expect(result.error).toMatch(/\S/);
        expect(result.key).toBeUndefined();
      });
    });

    it('gives JSON features when it has them', () => {
      if (!task.features) return;
      const features = task.features(cases.equalGroups[0]![0]!);
      expect(JSON.parse(JSON.stringify(features))).toEqual(features);
    });

    it('samples programs that execute, the same for the same seed, each with a question', async () => {
      if (!task.sample) return;
      const draw = async (seed: number) => {
        const drawn: { program: string; question: string | undefined }[] = [];
        for await (const sampled of task.sample!({
          source: cases.environment,
          seed,
          count: 3,
          options: {},
        })) {
          drawn.push({
            program: sampled.program,
            question: sampled.question ?? task.describe?.(sampled.program),
          });
          if (drawn.length === 3) break;
        }
        return drawn;
      };
      const first = await draw(1);
      expect(await draw(1)).toEqual(first);
      expect(first).toHaveLength(3);
      for (const { program, question } of first) {
        expect({ program, status: (await run(program)).status }).toEqual({ program, status: 'ok' });
        expect(question).toMatch(/\w/);
      }
    });

    it('closes its executor twice without error, releasing its resources', async () => {
      const own = task.createExecutor(cases.options);
      const first = await own.execute(cases.equalGroups[0]![0]!, cases.environment);
      expect(first.status).toBe('ok');
      await own.close();
      await own.close();
    });
  });
}

/** A small seeded generator (mulberry32), so sampled programs are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

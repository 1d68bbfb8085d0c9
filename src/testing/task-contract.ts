/**
 * The contract every task plugin passes: one shared suite, each task's test feeding it its cases
 * (like hono's `src/router/common.case.test.ts`). Call `describeTaskContract(task, cases, vitest)`
 * inside a test file, passing the test functions in (`import * as vitest from 'vitest'`), so this
 * module works with vitest (or any runner with the same `describe`/`it`/`expect`) without making a
 * test runner a dependency of symgen. An optional member the task lacks skips its test with the
 * reason in the test's name, never silently.
 */
import { seededRandom } from '../random.js';
import type { ExecutionEnvironment, ExecutionResult, Executor, TaskPlugin } from '../tasks/spec.js';

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
  /** A label added to the suite's name, to tell runs of one task with different executors apart. */
  readonly label?: string;
}

type TestBody = () => unknown;

/** The test functions the suite registers with: vitest's (`import * as vitest from 'vitest'`) fit. */
export interface ContractTestApi {
  describe(name: string, body: () => void): unknown;
  it: ((name: string, body: TestBody) => unknown) & { skip(name: string, body: TestBody): unknown };
  beforeAll(body: TestBody): unknown;
  afterAll(body: TestBody): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own matcher types are not a dependency here
  expect: (value: unknown) => any;
}

/** Register the contract tests of one task plugin. */
export function describeTaskContract<Options>(
  task: TaskPlugin<Options>,
  cases: TaskContractCases<Options>,
  api: ContractTestApi,
): void {
  const { describe, it, expect, beforeAll, afterAll } = api;
  /** A test of an optional member: run when the task has it, else skipped with the reason in its name. */
  const optional = (has: boolean, name: string, member: string, body: TestBody) =>
    has
      ? it(name, body)
      : it.skip(`${name} (skipped: ${task.id} has no ${member}, an optional member)`, body);

  describe(`task contract: ${task.id}${cases.label ? ` (${cases.label})` : ''}`, () => {
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

    optional(!!task.prepare, 'prepares text as extract then normalise do', 'prepare', () => {
      for (const text of [...cases.extract.map((entry) => entry.text), ...cases.noProgram]) {
        const program = task.extract(text);
        const expected = program === null ? null : { program, normalised: task.normalise(program) };
        expect({ text, prepared: task.prepare!(text) }).toEqual({ text, prepared: expected });
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

    optional(!!task.features, 'gives JSON features', 'features', () => {
      const features = task.features!(cases.equalGroups[0]![0]!);
      expect(JSON.parse(JSON.stringify(features))).toEqual(features);
    });

    optional(
      !!task.sample,
      'samples programs that execute, the same for the same seed, each with a question',
      'sample (no offline generation)',
      async () => {
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
      },
    );

    it('closes its executor twice without error, releasing its resources', async () => {
      const own = task.createExecutor(cases.options);
      const first = await own.execute(cases.equalGroups[0]![0]!, cases.environment);
      expect(first.status).toBe('ok');
      await own.close();
      await own.close();
    });
  });
}

export { seededRandom };

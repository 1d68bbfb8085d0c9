import { afterAll, describe, expect, it } from 'vitest';
import { candidateTexts, MIXES, mbppProblems, wrongProgram } from '../../../test/codet-mixes.js';
import { parseVerifyOptions } from '../../verify/options.js';
import { verifyExample } from '../../verify/verify-stream.js';
import { vote } from '../../verify/vote.js';
import { assertsInText, codetKey, codetScore, withoutAsserts } from './codet.js';
import { pythonEnvironment, pythonTask } from './index.js';

const executor = pythonTask.createExecutor({ workers: 2, timeoutMs: 5000 });
afterAll(() => executor.close());

/** Verify `texts` as one question without tests; the chosen program, or undefined when rejected. */
async function chosen(texts: readonly string[]): Promise<string | undefined> {
  const example = { id: 'q', question: 'no tests', candidates: texts.map((program) => ({ program })) };
  const record = await verifyExample(example, {
    task: pythonTask as never,
    executor,
    environment: (_db, input) => pythonEnvironment(input as never),
    options: parseVerifyOptions({ minVotes: 2, tie: 'reject' }),
    provenance: {},
  });
  return record.status === 'accepted' ? String(record.program) : undefined;
}

describe('CodeT: Python problems without tests, scored by dual agreement', () => {
  it('reads the asserts a candidate writes and leaves them out of its program', () => {
    const text = 'def f(a):\n    return a + 1\n\nassert f(1) == 2\nassert g(1) == 0\nprint(f(3))\n';
    expect(assertsInText(text)).toEqual(['assert f(1) == 2']);
    expect(withoutAsserts(text)).not.toContain('assert');
    const environment = pythonEnvironment({
      generated_tests: ['assert f(0) == 1'],
      candidates: [text, { program: 'def f(a):\n    return a\nassert f(2) == 2' }],
    });
    expect(environment.data.generatedTests).toEqual([
      'assert f(0) == 1',
      'assert f(1) == 2',
      'assert f(2) == 2',
    ]);
    // with real tests, no generated ones
    expect(
      pythonEnvironment({ test_list: ['assert f(1) == 2'], candidates: [text] }).data.generatedTests,
    ).toBeUndefined();
  });

  it('scores a consensus set by programs x asserts passed, and the vote ranks by it', () => {
    expect(codetKey([true, false, true])).toBe('codet:2/3:101');
    expect(codetScore('codet:2/3:101', 4)).toBe(8);
    expect(codetScore('pass', 4)).toBe(4);
    const sample = (key: string, program: string) => ({
      program,
      textKey: program,
      result: { status: 'ok' as const, key, durationMs: 0 },
    });
    const samples = [
      ...Array.from({ length: 6 }, () => sample('codet:1/4:0001', 'wrong')),
      ...Array.from({ length: 4 }, () => sample('codet:3/4:1110', 'right')),
    ];
    const options = parseVerifyOptions({ minVotes: 2, tie: 'reject' });
    expect(vote(samples, options).program).toBe('wrong');
    const scored = vote(samples, options, undefined, codetScore);
    expect(scored).toMatchObject({ status: 'accepted', program: 'right', votes: 4 });
    expect(scored.clusters.map((cluster) => cluster.score)).toEqual([12, 6]);
  });

  it('on MBPP problems with the tests stripped, correct candidates beat a wrong majority', async () => {
    const problems = mbppProblems().slice(0, 3);
    expect(problems.length).toBe(3);
    for (const problem of problems) {
      const mix = MIXES['correct minority (4 correct, 6 wrong)'];
      // without CodeT (the same calls, no expected values): the wrong majority wins
      expect(await chosen(candidateTexts(problem, mix, 'calls'))).toContain('_gold_0');
      // with CodeT: the correct minority passes the asserts most candidates wrote
      const picked = await chosen(candidateTexts(problem, mix, 'asserts'));
      expect(picked, `problem ${problem.taskId}`).toBeDefined();
      expect(picked).not.toContain('_gold_');
      expect(withoutAsserts(picked!).trim()).toBe(problem.code.trim());
      expect(wrongProgram(problem)).toContain(problem.name);
    }
  }, 120_000);
});

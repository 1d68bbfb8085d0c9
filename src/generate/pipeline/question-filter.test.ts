import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/index.js';
import { sqlTask } from '../../tasks/sql/index.js';
import { QuestionFilter, questionKey } from './question-text.js';
import { computeQuotas } from './quotas.js';

const extractQuestion = (text: string) => sqlTask.generation!.question!(text)?.question ?? null;

describe('gen_q question filter', () => {
  it('takes the question out of model text', () => {
    expect(extractQuestion('-- Question: What is the capital of Texas?')).toBe(
      'What is the capital of Texas?',
    );
    expect(extractQuestion('\n1. "How many rivers are in Ohio?"\nThe answer is...')).toBe(
      'How many rivers are in Ohio?',
    );
    expect(extractQuestion('SELECT * FROM state')).toBeNull();
    expect(extractQuestion('   ')).toBeNull();
  });

  it('drops short, long, exact and normalised duplicates, and copies of demonstrations', () => {
    const filter = new QuestionFilter(
      { min: 3, max: 8 },
      [questionKey('which rivers flow through ohio')],
      new Set([questionKey('how big is texas')]),
      sqlTask.generation!.question,
    );
    const results = [
      'what is the capital of texas',
      'texas?',
      'what is the name of the longest river in the whole united states',
      'what is the capital of texas',
      'What is the capital of Texas?',
      'Which rivers flow through Ohio',
      'How big is Texas?',
      'SELECT 1',
      'how many states border kentucky',
    ].map((text) => {
      const checked = filter.check(text);
      if ('drop' in checked) return checked.drop;
      filter.remember(checked.question, checked.key);
      return 'kept';
    });
    expect(results).toEqual([
      'kept',
      'too-short',
      'too-long',
      'duplicate-exact',
      'duplicate-normalised',
      'duplicate-normalised',
      'demonstration',
      'no-question',
      'kept',
    ]);
  });
});

describe('per-database quotas', () => {
  it('splits the count evenly and honours explicit quotas', () => {
    expect([...computeQuotas(['a', 'b', 'c'], 10)]).toEqual([
      ['a', 4],
      ['b', 3],
      ['c', 3],
    ]);
    expect([...computeQuotas(['a', 'b', 'c'], 10, { b: 8 })]).toEqual([
      ['a', 1],
      ['b', 8],
      ['c', 1],
    ]);
    expect(() => computeQuotas(['a'], 10, { z: 1 })).toThrow(ConfigError);
  });
});

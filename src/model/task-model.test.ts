import { describe, expect, it } from 'vitest';
import { sqlFromModelTokens, sqlModelTokenizer, sqlModelTokens } from '../tasks/sql/model-tokens.js';
import { wordTokens } from './program-tokens.js';
import { TaskModel } from './task-model.js';

describe('SQL tokens of the task model', () => {
  it('split literals into words the model can copy, and join them back', () => {
    const tokens = sqlModelTokens(
      "SELECT city.population FROM city WHERE city.city_name = 'New York' AND x >= 3;",
    );
    expect(tokens).toEqual([
      'select',
      'city.population',
      'from',
      'city',
      'where',
      'city.city_name',
      '=',
      "'",
      'new',
      'york',
      "'",
      'and',
      'x',
      '>=',
      '3',
    ]);
    expect(sqlFromModelTokens(tokens)).toBe(
      "select city.population from city where city.city_name = 'new york' and x >= 3",
    );
    expect(sqlFromModelTokens(sqlModelTokens("SELECT 'it''s'"))).toBe("select 'it''s'");
  });
});

describe('default program tokens of the task model', () => {
  it('keep the words of each line, and line breaks with their indentation, so Python comes back whole', () => {
    const python = 'def add(a, b):\n    if a:\n        return a + b\n    return b';
    const tokens = wordTokens.encode(python);
    expect(tokens).toEqual([
      'def',
      'add(a,',
      'b):',
      '\n    ',
      'if',
      'a:',
      '\n        ',
      'return',
      'a',
      '+',
      'b',
      '\n    ',
      'return',
      'b',
    ]);
    expect(wordTokens.decode(tokens)).toBe(python);
    // tabs as four spaces, runs of spaces inside a line as one, Windows line ends as \n
    expect(wordTokens.decode(wordTokens.encode('ls  -la\t/tmp\r\nwc -l'))).toBe('ls -la /tmp\nwc -l');
    expect(wordTokens.encode('')).toEqual([]);
  });
});

describe('TaskModel', () => {
  it('trains from scratch on WebAssembly within its time bound and copies unseen values', async () => {
    const states = [
      'texas',
      'ohio',
      'utah',
      'iowa',
      'maine',
      'idaho',
      'nevada',
      'oregon',
      'alaska',
      'kansas',
      'georgia',
      'vermont',
    ];
    const pairs = states.flatMap((state) => [
      {
        question: `what is the capital of ${state}`,
        program: `SELECT state.capital FROM state WHERE state.state_name = '${state}'`,
      },
      {
        question: `how many people live in ${state}`,
        program: `SELECT state.population FROM state WHERE state.state_name = '${state}'`,
      },
    ]);
    const losses: number[] = [];
    const started = performance.now();
    const model = await TaskModel.train(pairs, {
      tokens: sqlModelTokenizer,
      dModel: 32,
      heads: 2,
      layers: 1,
      feedForward: 64,
      epochs: 40,
      maxSeconds: 10,
      batchSize: 24,
      learningRate: 0.01,
      dropout: 0,
      minCount: 2,
      onEpoch: (_epoch, loss) => losses.push(loss),
    });
    try {
      expect((performance.now() - started) / 1000).toBeLessThan(20);
      expect(model.stats.backend).toBe('wasm');
      process.stderr.write(
        `toy model: ${model.stats.epochs} epochs, loss ${model.stats.firstLoss.toFixed(2)} -> ${model.stats.finalLoss.toFixed(3)}\n`,
      );
      expect(model.stats.finalLoss).toBeLessThan(model.stats.firstLoss / 4);
      // 'montana' never occurs in training: only the pointer can produce it
      const [capital, people] = await model.predict([
        'what is the capital of montana',
        'how many people live in montana',
      ]);
      expect(capital).toBe("select state.capital from state where state.state_name = 'montana'");
      expect(people).toBe("select state.population from state where state.state_name = 'montana'");
    } finally {
      model.dispose();
    }
  }, 30_000);

  it('repeats a training run exactly for the same seed, dropout included', async () => {
    const pairs = [
      {
        question: 'what is the capital of texas',
        program: "SELECT state.capital FROM state WHERE state.state_name = 'texas'",
      },
      {
        question: 'what is the capital of ohio',
        program: "SELECT state.capital FROM state WHERE state.state_name = 'ohio'",
      },
      {
        question: 'how many people live in ohio',
        program: "SELECT state.population FROM state WHERE state.state_name = 'ohio'",
      },
    ];
    const options = { dModel: 16, heads: 2, layers: 1, feedForward: 32, epochs: 3, dropout: 0.3, seed: 5 };
    const losses: number[] = [];
    for (let run = 0; run < 2; run++) {
      const model = await TaskModel.train(pairs, options);
      losses.push(model.stats.finalLoss);
      model.dispose();
    }
    expect(losses[0]).toBe(losses[1]);
    const other = await TaskModel.train(pairs, { ...options, seed: 6 });
    expect(other.stats.finalLoss).not.toBe(losses[0]);
    other.dispose();
  });
});

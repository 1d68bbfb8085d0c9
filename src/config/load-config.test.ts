import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { generateConfigJsonSchemaText } from './json-schema.js';
import { loadGenerateConfig } from './load-config.js';

const folder = mkdtempSync(join(tmpdir(), 'symgen-config-'));
const write = (name: string, text: string) => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};
const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadGenerateConfig', () => {
  it('reads YAML, fills defaults and resolves paths from the file', () => {
    const file = write(
      'ok.yaml',
      'knowledge: { db: data/geo.sqlite }\ndemonstrations: { file: demos.jsonl, selection: bm25 }\noutput: { dir: runs/a }\n',
    );
    const config = loadGenerateConfig(file);
    expect(config.knowledge).toMatchObject({
      db: join(folder, 'data/geo.sqlite'),
      rows: 3,
      rowSelection: 'random',
    });
    expect(config.demonstrations).toMatchObject({
      file: join(folder, 'demos.jsonl'),
      k: 4,
      selection: 'bm25',
    });
    expect(config.generation.genQ).toEqual({ n: 20, temperature: 0.8, maxTokens: 64, logprobs: false });
    expect(config.generation.genA).toMatchObject({ n: 20, temperature: 0.8, logprobs: true });
    expect(config.verify.minVotes).toBe(1);
    expect(config.llm).toBeUndefined();
  });

  it('lets flags override the file, field by field', () => {
    const file = write(
      'base.yaml',
      'count: 50\nknowledge: { db: a.sqlite, rows: 5 }\ngeneration: { genA: { n: 10 } }\noutput: { dir: out }\n',
    );
    const config = loadGenerateConfig(file, {
      count: 7,
      knowledge: { db: '/abs/b.sqlite' },
      generation: { genA: { temperature: 0.2 } },
    });
    expect(config.count).toBe(7);
    expect(config.knowledge).toMatchObject({ db: '/abs/b.sqlite', rows: 5 });
    expect(config.generation.genA).toMatchObject({ n: 10, temperature: 0.2 });
  });

  it('works with no file at all', () => {
    const config = loadGenerateConfig(undefined, {
      task: 'sql',
      count: 3,
      knowledge: { db: '/x.sqlite' },
      output: { dir: '/o' },
    });
    expect(config).toMatchObject({ task: 'sql', count: 3, seed: 0 });
  });

  it('names the field path and what was expected, in one line', () => {
    const file = write(
      'bad.yaml',
      'count: many\nknowledge: { db: a.sqlite, rowz: 3 }\nverify: { minVotes: 0 }\noutput: { dir: o }\n',
    );
    const message = errorOf(() => loadGenerateConfig(file));
    expect(message).toBe(`${file}: count: Invalid input: expected number, received string (and 2 more)`);
    expect(message).not.toContain('\n');
    try {
      loadGenerateConfig(file);
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
        'count',
        'knowledge',
        'verify.minVotes',
      ]);
      expect((error as ConfigError).issues[1]!.message).toContain('rowz');
    }
    // knowledge is optional (only sql needs a database, and says so when it starts)
    expect(errorOf(() => loadGenerateConfig(undefined, {}))).toBe(
      'flags: output: Invalid input: expected object, received undefined',
    );
    expect(
      errorOf(() =>
        loadGenerateConfig(undefined, {
          knowledge: { db: 'a' },
          output: { dir: 'o' },
          llm: { provider: { kind: 'openai-compatible' } },
        }),
      ),
    ).toContain('llm.provider.model');
  });

  it('reports YAML syntax errors with their line, and a missing file', () => {
    const file = write('syntax.yaml', 'knowledge:\n  db: [unclosed\n');
    expect(errorOf(() => loadGenerateConfig(file))).toMatch(/line \d+, column \d+: not valid YAML/);
    expect(errorOf(() => loadGenerateConfig(join(folder, 'missing.yaml')))).toContain(
      'config file not found',
    );
  });

  it('ships a JSON Schema that is current (regenerate with npm run schema)', () => {
    const shipped = readFileSync(
      join(import.meta.dirname, '..', '..', 'schema', 'symgen-config.schema.json'),
      'utf8',
    );
    expect(shipped).toBe(generateConfigJsonSchemaText());
    const schema = JSON.parse(shipped);
    expect(schema.required).toEqual(['output']);
    expect(schema.properties.generation.properties.genQ.properties.n.default).toBe(20);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../errors/index.js';
import { writeTinyLlamaGguf } from '../../testing/tiny-gguf.js';
import { createLlamaCpp, type LlamaCppProvider } from './llama-cpp-provider.js';
import { loadLlamaRuntime } from './load-runtime.js';

const hasRuntime = await import('node-llama-cpp').then(
  () => true,
  () => false,
);

describe('createLlamaCpp', () => {
  it('explains how to point at a file when the GGUF is missing', async () => {
    const model = createLlamaCpp({ model: '/nonexistent/model.gguf', threads: 1 });
    const error = await model
      .doGenerate({ messages: [{ role: 'user', content: 'q' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"No GGUF file at /nonexistent/model.gguf. Set 'model' to the path of a .gguf file, or to hf:<user>/<repo>/<file>.gguf to download one when online."`,
    );
  });

  it('says how to install the runtime when node-llama-cpp is missing', async () => {
    const model = createLlamaCpp({
      model: 'x.gguf',
      loadRuntime: () => loadLlamaRuntime('node-llama-cpp-not-installed'),
    });
    const error = await model
      .doGenerate({ messages: [{ role: 'user', content: 'q' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain('npm install node-llama-cpp');
  });
});

// node-llama-cpp is optional: without it there is nothing to load the tiny model with.
describe.skipIf(!hasRuntime)('createLlamaCpp with a tiny random-weight GGUF', () => {
  let directory: string;
  let model: LlamaCppProvider;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'symgen-gguf-'));
    const path = join(directory, 'tiny.gguf');
    writeTinyLlamaGguf(path);
    model = createLlamaCpp({ model: path, threads: 1, contextSize: 256, parallelSequences: 3 });
  });
  afterAll(async () => {
    await model?.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  it('loads the model and decodes several samples as parallel sequences', async () => {
    const result = await model.doGenerate({
      messages: [{ role: 'user', content: 'count the singers' }],
      n: 3,
      maxTokens: 8,
      temperature: 1,
      seed: 42,
    });
    // the weights are random, so the text is gibberish: only its shape is checked
    expect(result.samples.map((sample) => sample.index)).toEqual([0, 1, 2]);
    for (const sample of result.samples) {
      expect(typeof sample.text).toBe('string');
      expect(['stop', 'length']).toContain(sample.finishReason);
    }
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeLessThanOrEqual(24);
  });

  it('gives the same sample for the same seed', async () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'the table' }],
      maxTokens: 6,
      temperature: 1,
      seed: 7,
    };
    const first = await model.doGenerate(request);
    const second = await model.doGenerate(request);
    expect(second.samples[0]!.text).toBe(first.samples[0]!.text);
  });
});

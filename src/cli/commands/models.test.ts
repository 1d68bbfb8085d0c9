import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLlmTestServer, type LlmTestServer } from '../../testing/index.js';
import { main } from '../main.js';

describe('symgen models check', () => {
  let server: LlmTestServer;
  let output: string;
  beforeEach(async () => {
    server = await createLlmTestServer({ models: ['qwen-test'] });
    output = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output += String(chunk);
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('says the endpoint answers, with which model, with logprobs and n', async () => {
    const code = await main(['models', 'check', '--base-url', server.baseURL]);
    expect(code).toBe(0);
    expect(output.replace(/\(\d+ ms\)/, '(N ms)').replace(server.baseURL, 'URL')).toMatchInlineSnapshot(`
      "endpoint: URL
      answers: yes (N ms)
      model: qwen-test
      listed models: qwen-test
      logprobs: yes
      n > 1 in one request: yes
      samples per request: at most 128
      "
    `);
  });

  it('says when logprobs and n are not supported, as JSON', async () => {
    await server.close();
    server = await createLlmTestServer({ logprobs: false, supportsN: false });
    const code = await main(['models', 'check', '--base-url', server.baseURL, '--model', 'm', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(output)).toMatchObject({
      answers: true,
      model: 'm',
      logprobs: false,
      nInOneRequest: false,
    });
  });

  it('exits 1 with the reason when the endpoint fails', async () => {
    server.enqueue(
      { body: { data: [{ id: 'other' }] } },
      { status: 404, body: { error: { message: 'model "nope" not found' } } },
    );
    const code = await main([
      'models',
      'check',
      '--base-url',
      server.baseURL,
      '--model',
      'nope',
      '--timeout-ms',
      '5000',
    ]);
    expect(code).toBe(1);
    expect(output).toContain('answers: no:');
    expect(output).toContain('model "nope" not found');
  });
});

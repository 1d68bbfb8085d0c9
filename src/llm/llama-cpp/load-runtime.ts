import { ModelLoadError } from '../../errors/index.js';

/** The part of node-llama-cpp this provider uses. */
export type LlamaRuntime = typeof import('node-llama-cpp');

/**
 * Imports node-llama-cpp on first use: it is an optional dependency, so the package works
 * without it until someone asks for a local model. `specifier` exists for tests.
 */
export async function loadLlamaRuntime(specifier = 'node-llama-cpp'): Promise<LlamaRuntime> {
  try {
    return (await import(specifier)) as LlamaRuntime;
  } catch (error) {
    throw new ModelLoadError(
      'The local model runtime node-llama-cpp is not installed. Install it with `npm install node-llama-cpp`, or use an OpenAI-compatible server instead.',
      { cause: error },
    );
  }
}

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ModelLoadError } from '../../errors/index.js';
import { sampleSeed } from '../fan-out.js';
import type { LlmFinishReason, LlmProvider, LlmRequest, LlmResult, LlmSample } from '../spec.js';
import { type LlamaRuntime, loadLlamaRuntime } from './load-runtime.js';
import { createSequencePool } from './sequence-pool.js';

/** Options of the embedded local model. */
export interface LlamaCppOptions {
  /** A `.gguf` path, or `hf:<user>/<repo>/<file>.gguf` (downloaded once, needs a network). */
  readonly model: string;
  /** CPU threads for decoding; set explicitly rather than left to the library. @default os.availableParallelism() */
  readonly threads?: number;
  /** Tokens of context per sequence. @default 2048 */
  readonly contextSize?: number;
  /** Samples decoded side by side in one batch. @default 4 */
  readonly parallelSequences?: number;
  /** Where `hf:` models are downloaded. @default node-llama-cpp's models folder */
  readonly modelsDirectory?: string;
  /** Use a GPU when one is available. @default false */
  readonly gpu?: boolean;
  /** Replaces the runtime import (tests use it to simulate a missing dependency). */
  readonly loadRuntime?: () => Promise<LlamaRuntime>;
}

/** A local model; `dispose` frees its memory. */
export interface LlamaCppProvider extends LlmProvider {
  dispose(): Promise<void>;
}

type Loaded = Awaited<ReturnType<typeof load>>;

/**
 * Creates a provider that runs a GGUF model in-process with node-llama-cpp (loaded lazily on the
 * first call). Several samples decode as parallel sequences of one context. Token
 * log-probabilities are not reported. Messages are rendered with the model's chat template.
 * @example
 * const local = createLlamaCpp({ model: './models/qwen2.5-0.5b-instruct-q4_k_m.gguf', threads: 4 });
 */
export function createLlamaCpp(options: LlamaCppOptions): LlamaCppProvider {
  const sequences = options.parallelSequences ?? 4;
  let loading: Promise<Loaded> | undefined;
  const loaded = () => {
    loading ??= load(options, sequences);
    return loading;
  };
  return {
    provider: 'llama-cpp',
    modelId: options.model,
    cacheScope: `llama-cpp:${options.model}`,
    maxSamplesPerCall: sequences,
    async doGenerate(request, callOptions = {}) {
      const state = await loaded();
      const n = request.n ?? 1;
      const offset = request.sampleOffset ?? 0;
      const prompt = state.render(request);
      const promptTokens = prompt.tokenize(state.model.tokenizer).length;
      const runs = Array.from({ length: n }, (_, position) =>
        state.pool.use(callOptions.signal, (sequence) =>
          generate(state, sequence, prompt, request, offset + position, callOptions.signal),
        ),
      );
      const samples = await Promise.all(runs);
      const result: LlmResult = {
        samples: samples.map((sample) => sample.sample),
        usage: {
          promptTokens: promptTokens * n,
          completionTokens: samples.reduce((sum, sample) => sum + sample.tokens, 0),
          cachedTokens: 0,
        },
        responseModelId: options.model,
      };
      return result;
    },
    async dispose() {
      if (!loading) return;
      const state = await loading.catch(() => undefined);
      await state?.context.dispose();
      await state?.model.dispose();
      await state?.llama.dispose();
    },
  };
}

async function load(options: LlamaCppOptions, sequences: number) {
  const runtime = await (options.loadRuntime ?? loadLlamaRuntime)();
  const threads = options.threads ?? availableParallelism();
  const modelPath = await resolveModelPath(runtime, options);
  const llama = await runtime.getLlama({
    gpu: options.gpu ? 'auto' : false,
    build: 'never',
    maxThreads: threads,
    logLevel: runtime.LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath }).catch((error: unknown) => {
    throw new ModelLoadError(
      `Cannot load the GGUF file ${modelPath}: ${(error as Error)?.message ?? error}`,
      {
        cause: error,
      },
    );
  });
  const context = await model.createContext({ sequences, contextSize: options.contextSize ?? 2048, threads });
  const chatWrapper = runtime.resolveChatWrapper(model);
  const render = (request: LlmRequest) => {
    const history = request.messages.map((message) =>
      message.role === 'assistant'
        ? { type: 'model' as const, response: [message.content] }
        : { type: message.role, text: message.content },
    );
    history.push({ type: 'model', response: [] });
    return chatWrapper.generateContextState({ chatHistory: history }).contextText;
  };
  return { runtime, llama, model, context, render, pool: createSequencePool(context, sequences) };
}

async function resolveModelPath(runtime: LlamaRuntime, options: LlamaCppOptions): Promise<string> {
  const reference = options.model;
  if (/^(hf:|https?:)/.test(reference)) {
    try {
      return await runtime.resolveModelFile(reference, { directory: options.modelsDirectory, cli: false });
    } catch (error) {
      throw new ModelLoadError(
        `Cannot fetch the model ${reference} (${(error as Error)?.message ?? error}). Without a network, download the .gguf file elsewhere, copy it here and set 'model' to its path, e.g. model: ./models/model.gguf`,
        { cause: error },
      );
    }
  }
  const path = resolve(reference);
  if (!existsSync(path)) {
    throw new ModelLoadError(
      `No GGUF file at ${path}. Set 'model' to the path of a .gguf file, or to hf:<user>/<repo>/<file>.gguf to download one when online.`,
    );
  }
  return path;
}

async function generate(
  state: Loaded,
  sequence: Parameters<Parameters<Loaded['pool']['use']>[1]>[0],
  prompt: ReturnType<Loaded['render']>,
  request: LlmRequest,
  index: number,
  signal: AbortSignal | undefined,
): Promise<{ sample: LlmSample; tokens: number }> {
  const completion = new state.runtime.LlamaCompletion({ contextSequence: sequence });
  let tokens = 0;
  try {
    const { response, metadata } = await completion.generateCompletionWithMeta(prompt, {
      maxTokens: request.maxTokens ?? 256,
      temperature: request.temperature ?? 0,
      topP: request.topP,
      seed: sampleSeed(request.seed, index),
      customStopTriggers: request.stop && request.stop.length > 0 ? [...request.stop] : undefined,
      signal,
      onToken: (chunk) => {
        tokens += chunk.length;
      },
    });
    const finishReason: LlmFinishReason =
      metadata.stopReason === 'maxTokens' ? 'length' : metadata.stopReason === 'abort' ? 'other' : 'stop';
    return { sample: { index, text: response, finishReason }, tokens };
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}

import type * as TfModule from '@tensorflow/tfjs';
import { ModelLoadError } from '../errors/index.js';

/** The TensorFlow.js namespace. */
export type Tf = typeof TfModule;
let loading: Promise<Tf> | undefined;

/**
 * TensorFlow.js on its WebAssembly backend (SIMD, no native addon: `@tensorflow/tfjs-node` does
 * not install everywhere). Imported on first use and set up once per process.
 */
export function loadTfjs(): Promise<Tf> {
  loading ??= (async () => {
    try {
      const tf = await import('@tensorflow/tfjs');
      await import('@tensorflow/tfjs-backend-wasm');
      if (tf.getBackend() !== 'wasm') {
        if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      }
      await tf.ready();
      return tf as unknown as Tf;
    } catch (error) {
      loading = undefined;
      throw new ModelLoadError(
        `cannot start TensorFlow.js on WebAssembly: ${(error as Error).message}; reinstall @tensorflow/tfjs-backend-wasm`,
        { cause: error },
      );
    }
  })();
  return loading;
}

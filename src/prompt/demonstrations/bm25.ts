/** Okapi BM25 over short texts (demonstration questions). */
export interface Bm25Index {
  /** Indices of the `k` best documents for `query` among `allowed` (all when absent), best first. */
  search(query: string, k: number, allowed?: (index: number) => boolean): number[];
}

/** Lower-case word tokens. */
export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** Builds a BM25 index (k1 = 1.2, b = 0.75). Ties keep document order, so results are reproducible. */
export function buildBm25Index(documents: readonly string[], k1 = 1.2, b = 0.75): Bm25Index {
  const docs = documents.map(tokenizeWords);
  const frequencies = docs.map((tokens) => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  });
  const documentFrequency = new Map<string, number>();
  for (const counts of frequencies)
    for (const token of counts.keys()) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  const averageLength = docs.reduce((sum, tokens) => sum + tokens.length, 0) / Math.max(1, docs.length);
  const n = docs.length;
  const idf = (token: string) => {
    const df = documentFrequency.get(token) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  return {
    search(query, k, allowed) {
      const terms = [...new Set(tokenizeWords(query))];
      const scored: { index: number; score: number }[] = [];
      for (let index = 0; index < n; index++) {
        if (allowed && !allowed(index)) continue;
        const counts = frequencies[index]!;
        const length = docs[index]!.length;
        let score = 0;
        for (const term of terms) {
          const tf = counts.get(term);
          if (!tf) continue;
          score += idf(term) * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength)));
        }
        scored.push({ index, score });
      }
      scored.sort((x, y) => y.score - x.score || x.index - y.index);
      return scored.slice(0, k).map((entry) => entry.index);
    },
  };
}

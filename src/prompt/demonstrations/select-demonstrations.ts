import { sampleWithoutReplacement, seededRandom } from '../seed.js';
import { buildBm25Index } from './bm25.js';
import { buildEmbeddingIndex, loadSentenceEmbedder } from './embedding-index.js';
import type { Demonstration } from './load-demonstrations.js';

/** How demonstrations are chosen for an answer prompt. */
export type DemonstrationSelection = 'random' | 'bm25' | 'embedding';

/** Picks demonstrations for prompts. */
export interface DemonstrationSelector {
  /** For a `gen_q` prompt: `k` seeded random demonstrations (there is no question to match yet). */
  forQuestions(dbId: string, seed: number): Demonstration[];
  /** For a `gen_a` prompt: the `k` most similar to `question` (or seeded random), most similar last. */
  forAnswer(question: string, dbId: string, seed: number): Promise<Demonstration[]>;
}

/** Options of {@link createDemonstrationSelector}. */
export interface DemonstrationSelectorOptions {
  readonly k: number;
  readonly selection: DemonstrationSelection;
  /** Prefer demonstrations of the same database when there are at least `k` of them. */
  readonly sameDatabase: boolean;
  /** Sentence embedder; defaults to the offline model, loaded only for `embedding`. */
  readonly embed?: (texts: string[]) => Promise<number[][]>;
}

/**
 * Creates a selector over a pool. BM25 and embedding indexes are built once; embedding similarity
 * loads the offline model lazily. The most similar demonstration goes last, nearest the question,
 * as retrieval-augmented prompting usually does.
 */
export async function createDemonstrationSelector(
  pool: readonly Demonstration[],
  options: DemonstrationSelectorOptions,
): Promise<DemonstrationSelector> {
  // a prompt never shows the same demonstration twice: repeats in the pool are dropped up front
  const items = uniqueDemonstrations(pool);
  const questions = items.map((item) => item.question);
  const search =
    options.selection === 'bm25'
      ? (() => {
          const index = buildBm25Index(questions);
          return async (query: string, k: number, allowed?: (i: number) => boolean) =>
            index.search(query, k, allowed);
        })()
      : options.selection === 'embedding'
        ? await (async () => {
            const index = await buildEmbeddingIndex(
              questions,
              options.embed ?? (await loadSentenceEmbedder()),
            );
            return (query: string, k: number, allowed?: (i: number) => boolean) =>
              index.search(query, k, allowed);
          })()
        : undefined;
  const byDatabase = new Map<string, number[]>();
  items.forEach((item, index) => {
    if (item.dbId === undefined) return;
    const list = byDatabase.get(item.dbId) ?? [];
    list.push(index);
    byDatabase.set(item.dbId, list);
  });
  const candidates = (dbId: string): number[] | undefined => {
    const own = byDatabase.get(dbId);
    return options.sameDatabase && own && own.length >= Math.min(options.k, items.length) ? own : undefined;
  };
  const random = (dbId: string, seed: number) => {
    const pool = candidates(dbId) ?? items.map((_, index) => index);
    return sampleWithoutReplacement(pool, options.k, seededRandom(seed)).map((index) => items[index]!);
  };
  return {
    forQuestions: (dbId, seed) => (options.k <= 0 ? [] : random(dbId, seed)),
    async forAnswer(question, dbId, seed) {
      if (options.k <= 0) return [];
      if (!search) return random(dbId, seed);
      const own = candidates(dbId);
      const allowed = own ? new Set(own) : undefined;
      const found = await search(question, options.k, allowed ? (index) => allowed.has(index) : undefined);
      return found.map((index) => items[index]!).reverse();
    },
  };
}

/** The first of each set of demonstrations equal in question and program (case, spacing and final punctuation aside). */
export function uniqueDemonstrations(items: readonly Demonstration[]): Demonstration[] {
  const seen = new Set<string>();
  const fold = (text: string) =>
    text
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/[\s?.!;]+$/, '')
      .trim();
  return items.filter((item) => {
    const key = `${item.dbId ?? ''}\u0000${fold(item.question)}\u0000${fold(item.program)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

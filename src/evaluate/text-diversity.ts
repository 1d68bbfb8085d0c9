import { questionWords } from '../dataset/index.js';
import { sampleOf } from './sample.js';

/** Diversity of a set of texts (questions). */
export interface TextDiversity {
  readonly texts: number;
  /** Distinct words. */
  readonly vocabulary: number;
  readonly meanWords: number;
  /** Distinct n-grams over all n-grams, for n = 1, 2, 3 (Li et al. 2016). */
  readonly distinct1: number;
  readonly distinct2: number;
  readonly distinct3: number;
  /** Shannon entropy in bits of the unigram and bigram distributions. */
  readonly entropy1: number;
  readonly entropy2: number;
  /** Mean BLEU-4 of sampled texts against all others (Zhu et al. 2018): lower is more diverse. */
  readonly selfBleu: number;
  /** Mean pairwise cosine similarity of sentence embeddings, when computed: lower is more diverse. */
  readonly embeddingCosine?: number;
}

function ngrams(words: readonly string[], n: number): string[] {
  const grams: string[] = [];
  for (let index = 0; index + n <= words.length; index++) grams.push(words.slice(index, index + n).join(' '));
  return grams;
}

function entropy(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / total;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Vocabulary, distinct-n, n-gram entropy and self-BLEU of texts (words after folding case and
 * punctuation). Self-BLEU takes up to `selfBleuSample` seeded texts as hypotheses, each against up to
 * `selfBleuReferences` others as references, so its cost stays bounded on large datasets.
 */
export function textDiversity(
  texts: readonly string[],
  options: { selfBleuSample?: number; selfBleuReferences?: number; seed?: number } = {},
): TextDiversity {
  const tokenized = texts.map(questionWords);
  const counts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const totals = [0, 0, 0];
  let words = 0;
  for (const sentence of tokenized) {
    words += sentence.length;
    for (let n = 1; n <= 3; n++) {
      for (const gram of ngrams(sentence, n)) {
        counts[n - 1]!.set(gram, (counts[n - 1]!.get(gram) ?? 0) + 1);
        totals[n - 1]!++;
      }
    }
  }
  const distinct = (n: number) => (totals[n - 1] === 0 ? 0 : counts[n - 1]!.size / totals[n - 1]!);
  return {
    texts: texts.length,
    vocabulary: counts[0]!.size,
    meanWords: texts.length === 0 ? 0 : words / texts.length,
    distinct1: distinct(1),
    distinct2: distinct(2),
    distinct3: distinct(3),
    entropy1: entropy(counts[0]!),
    entropy2: entropy(counts[1]!),
    selfBleu: selfBleu(
      tokenized,
      options.selfBleuSample ?? 300,
      options.selfBleuReferences ?? 1000,
      options.seed ?? 1,
    ),
  };
}

/** Mean sentence BLEU-4 (uniform weights, brevity penalty, +1 smoothing past unigrams) of each sampled text against the others. */
export function selfBleu(
  sentences: readonly string[][],
  hypotheses = 300,
  references = 1000,
  seed = 1,
): number {
  const indexed = sentences
    .map((words, index) => ({ words, index }))
    .filter((entry) => entry.words.length > 0);
  if (indexed.length < 2) return 0;
  const chosen = sampleOf(indexed, hypotheses, seed);
  const pool = sampleOf(indexed, references + 1, seed + 1);
  const poolCounts = pool.map((entry) => ({
    index: entry.index,
    length: entry.words.length,
    grams: [1, 2, 3, 4].map((n) => countGrams(entry.words, n)),
  }));
  let sum = 0;
  for (const hypothesis of chosen) {
    const refs = poolCounts.filter((entry) => entry.index !== hypothesis.index);
    sum += sentenceBleu(hypothesis.words, refs);
  }
  return sum / chosen.length;
}

function countGrams(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const gram of ngrams(words, n)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  return counts;
}

function sentenceBleu(
  hypothesis: readonly string[],
  references: readonly { length: number; grams: Map<string, number>[] }[],
): number {
  let logPrecision = 0;
  for (let n = 1; n <= 4; n++) {
    const grams = countGrams(hypothesis, n);
    let matched = 0;
    let total = 0;
    for (const [gram, count] of grams) {
      total += count;
      let best = 0;
      for (const reference of references) {
        const found = reference.grams[n - 1]!.get(gram);
        if (found !== undefined && found > best) {
          best = found;
          if (best >= count) break;
        }
      }
      matched += Math.min(count, best);
    }
    // Smoothing (Lin and Och 2004, "+1" for n > 1) keeps short questions from scoring 0 outright.
    const precision = n === 1 ? (total === 0 ? 0 : matched / total) : (matched + 1) / (total + 1);
    if (precision === 0) return 0;
    logPrecision += Math.log(precision) / 4;
  }
  let closest = references[0]!.length;
  for (const reference of references) {
    const gap = Math.abs(reference.length - hypothesis.length);
    if (
      gap < Math.abs(closest - hypothesis.length) ||
      (gap === Math.abs(closest - hypothesis.length) && reference.length < closest)
    ) {
      closest = reference.length;
    }
  }
  const brevity = hypothesis.length >= closest ? 1 : Math.exp(1 - closest / hypothesis.length);
  return brevity * Math.exp(logPrecision);
}

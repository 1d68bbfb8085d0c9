import { foldQuestion } from '../dataset/text.js';

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the output. */
export function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The word shingles of a text as sorted, distinct 32-bit hashes: every word and every pair of
 * adjacent words of the folded text (lower case, punctuation removed). Unigrams keep short questions
 * comparable; bigrams keep word order.
 */
export function wordShingles(text: string): Uint32Array {
  const folded = foldQuestion(text);
  if (folded === '') return new Uint32Array(0);
  const words = folded.split(' ');
  const hashes = new Uint32Array(words.length * 2 - 1);
  let previous = 0;
  let count = 0;
  for (let index = 0; index < words.length; index++) {
    const word = hashString(words[index]!);
    hashes[count++] = word;
    if (index > 0) hashes[count++] = mix32((Math.imul(previous, 0x9e3779b1) ^ word) + 0x7f4a7c15);
    previous = word;
  }
  hashes.sort();
  let unique = 0;
  for (let index = 0; index < count; index++) {
    if (index === 0 || hashes[index] !== hashes[index - 1]) hashes[unique++] = hashes[index]!;
  }
  return hashes.subarray(0, unique);
}

/** Jaccard similarity of two sorted sets of distinct hashes. */
export function jaccard(left: Uint32Array, right: Uint32Array): number {
  if (left.length === 0 && right.length === 0) return 1;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i]!;
    const b = right[j]!;
    if (a === b) {
      shared++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return shared / (left.length + right.length - shared);
}

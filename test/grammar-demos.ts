import { readFileSync } from 'node:fs';
import { GEOQUERY_TRAIN } from './shared-data.js';

/** The first `count` GeoQuery train pairs as grammar demonstrations (`train:1`, `train:2`, ...). */
export function geoQueryDemos(count: number): { id: string; question: string; program: string }[] {
  return readFileSync(GEOQUERY_TRAIN, 'utf8')
    .trim()
    .split('\n')
    .slice(0, count)
    .map((line, index) => {
      const value = JSON.parse(line) as { question: string; query: string };
      return { id: `train:${index + 1}`, question: value.question, program: value.query };
    });
}

/** A small seeded generator in [0, 1) (Park-Miller), for expanding grammars in tests. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

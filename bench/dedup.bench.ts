/**
 * Near-duplicate detection on 1 million short questions. The questions are made reproducibly
 * (seeded) from about 27,000 real ones (GeoQuery, Spider test, NL2Bash, MTOP, Break): each is a real
 * question with perturbations: case and punctuation, a word inserted, dropped or replaced, a number
 * changed, or several words replaced (a new question). Reports the time and peak memory of
 * `NearDuplicateIndex` over all of them, then, side by side on a subset, the exact all-pairs search
 * (the naive baseline) against the LSH index: time ratio and how many of the exact duplicates LSH found.
 *
 *   npm run bench:dedup                    # 1,000,000 questions, naive subset 10,000
 *   BENCH_QUESTIONS=200000 BENCH_NAIVE=5000 npm run bench:dedup
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNearDuplicatesNaive, NearDuplicateIndex } from '../src/curate/index.js';
import { seededRandom } from '../src/evaluate/sample.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data');
const TOTAL = Number(process.env.BENCH_QUESTIONS ?? 1_000_000);
const NAIVE = Number(process.env.BENCH_NAIVE ?? 10_000);
const THRESHOLD = 0.8;

function field(file: string, name: string): string[] {
  return readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as Record<string, string>)[name]!)
    .filter((text) => typeof text === 'string' && text.length > 0);
}

const real = [
  ...field('geoquery-sql/train.jsonl', 'question'),
  ...field('geoquery-sql/dev.jsonl', 'question'),
  ...field('spider-test/questions.jsonl', 'question'),
  ...field('nl2bash/train.jsonl', 'nl'),
  ...field('mtop/train.jsonl', 'question'),
  ...field('break/dev.jsonl', 'question_text'),
];
const vocabulary = [...new Set(real.flatMap((text) => text.toLowerCase().split(/\s+/)))].filter((word) =>
  /^[a-z]+$/.test(word),
);
const random = seededRandom(7);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

function perturb(question: string): string {
  const words = question.split(/\s+/);
  const roll = random();
  if (roll < 0.2) return random() < 0.5 ? question.toLowerCase() : `${question.replace(/[?.!]$/, '')}?`;
  if (roll < 0.35) words.splice(Math.floor(random() * (words.length + 1)), 0, pick(vocabulary));
  else if (roll < 0.5 && words.length > 3) words.splice(Math.floor(random() * words.length), 1);
  else if (roll < 0.65) words[Math.floor(random() * words.length)] = pick(vocabulary);
  else if (roll < 0.75) words.push(String(Math.floor(random() * 1000)));
  else
    for (let change = 0; change < 3; change++) words[Math.floor(random() * words.length)] = pick(vocabulary);
  return words.join(' ');
}

const madeAt = performance.now();
const questions: string[] = new Array(TOTAL);
for (let index = 0; index < TOTAL; index++)
  questions[index] = index < real.length ? real[index]! : perturb(pick(real));
const madeSeconds = (performance.now() - madeAt) / 1000;
const meanWords =
  questions.slice(0, 100_000).reduce((sum, text) => sum + text.split(/\s+/).length, 0) /
  Math.min(TOTAL, 100_000);

globalThis.gc?.();
const baseline = process.memoryUsage();
let peakRss = baseline.rss;
let peakHeap = baseline.heapUsed + baseline.arrayBuffers;
const index = new NearDuplicateIndex({ threshold: THRESHOLD });
let duplicates = 0;
const started = performance.now();
for (let position = 0; position < TOTAL; position++) {
  if (index.add(questions[position]!).duplicateOf !== -1) duplicates++;
  if (position % 50_000 === 0) {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.arrayBuffers);
  }
}
const seconds = (performance.now() - started) / 1000;
const end = process.memoryUsage();
peakRss = Math.max(peakRss, end.rss);
peakHeap = Math.max(peakHeap, end.heapUsed + end.arrayBuffers);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

// Side by side on a subset: the exact all-pairs search against the index.
// A subset made the same way from a smaller pool of real questions, so it holds many duplicates.
const pool = real.filter(
  (_, position) => position % Math.max(1, Math.floor(real.length / (NAIVE / 4))) === 0,
);
const subset = Array.from({ length: NAIVE }, (_, position) =>
  position < pool.length ? pool[position]! : perturb(pick(pool)),
);
const naiveStarted = performance.now();
const naive = findNearDuplicatesNaive(subset, THRESHOLD);
const naiveSeconds = (performance.now() - naiveStarted) / 1000;
const lshStarted = performance.now();
const small = new NearDuplicateIndex({ threshold: THRESHOLD });
const lsh = subset.map((text) => small.add(text).duplicateOf);
const lshSeconds = (performance.now() - lshStarted) / 1000;
const naiveDuplicates = naive.duplicateOf.filter((value) => value !== -1).length;
const lshDuplicates = lsh.filter((value) => value !== -1).length;
const bothDuplicates = lsh.filter(
  (value, position) => value !== -1 && naive.duplicateOf[position] !== -1,
).length;

const lines = [
  `questions: ${TOTAL.toLocaleString('en-US')} (${real.length.toLocaleString('en-US')} real, the rest perturbed copies; mean ${meanWords.toFixed(1)} words), made in ${madeSeconds.toFixed(1)} s`,
  `MinHash-LSH (48 hashes, 12 bands of 4, word 1+2-shingles, Jaccard >= ${THRESHOLD}): ${seconds.toFixed(1)} s, ${Math.round(TOTAL / seconds).toLocaleString('en-US')} questions/s, ${duplicates.toLocaleString('en-US')} near duplicates, ${index.comparisons.toLocaleString('en-US')} exact comparisons`,
  `memory: peak RSS ${mib(peakRss)} MiB (${mib(baseline.rss)} MiB before the index, the questions included), peak heap + typed arrays ${mib(peakHeap)} MiB`,
  `subset of ${NAIVE.toLocaleString('en-US')}: naive all-pairs ${naiveSeconds.toFixed(2)} s, LSH ${lshSeconds.toFixed(3)} s: naive / LSH = ${(naiveSeconds / lshSeconds).toFixed(0)}x; naive finds ${naiveDuplicates} duplicates, LSH ${lshDuplicates} (${bothDuplicates} the same, recall ${((100 * bothDuplicates) / Math.max(1, naiveDuplicates)).toFixed(1)}%)`,
  `naive on all ${TOTAL.toLocaleString('en-US')} would take about ${((naiveSeconds * (TOTAL / NAIVE) ** 2) / 3600).toFixed(0)} h (quadratic)`,
];
process.stdout.write(`${lines.join('\n')}\n`);

/**
 * Builds a realistic candidates file from gold SQL: for each question, N samples as an LLM at
 * temperature 0.8 would give them. Correct samples repeat the gold query in varied surface forms
 * (case, spacing, `;`, code fences, prose, SymGen-style continuations after `SELECT`); wrong ones
 * carry the mistakes models make (another literal, a flipped comparison, a dropped condition, min
 * for max, a misspelt column, a truncated query). Each question gets its own share of correct
 * samples, so some questions are easy to agree on and some are not. Deterministic for a seed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { seededRandom } from '../src/prompt/seed.js';

export interface GoldLine {
  readonly question: string;
  readonly query: string;
  readonly db_id?: string;
}

const SURFACES: ((sql: string, rand: () => number) => string)[] = [
  (sql) => sql,
  (sql) => sql.toUpperCase().replace(/'([^']*)'/g, (_m, inner: string) => `'${inner.toLowerCase()}'`),
  (sql) => `${sql.replace(/;\s*$/, '')};`,
  (sql) => `\`\`\`sql\n${sql}\n\`\`\``,
  (sql) => `Here is the SQL query:\n${sql}\n\nThis query answers the question.`,
  (sql) => sql.replace(/^\s*select\s+/i, ''),
  (sql) => sql.replace(/\s+/g, '  ').replace(/,/g, ' , '),
];

const MISTAKES: ((sql: string, rand: () => number) => string | null)[] = [
  (sql, rand) => {
    const literals = [...sql.matchAll(/'([^']+)'/g)];
    if (literals.length === 0) return null;
    const others = ['ohio', 'texas', 'california', 'new york', 'alaska', 'austin', 'mississippi', 'colorado'];
    return sql.replace(literals[0]![0], `'${others[Math.floor(rand() * others.length)]}'`);
  },
  (sql) => (/>/.test(sql) ? sql.replace('>', '<') : /</.test(sql) ? sql.replace('<', '>') : null),
  (sql) =>
    /\s+and\s+/i.test(sql) ? sql.replace(/\s+and\s+[^()]*?(?=\)|$|;|\s+group|\s+order)/i, ' ') : null,
  (sql) =>
    /max\s*\(/i.test(sql)
      ? sql.replace(/max\s*\(/i, 'min(')
      : /min\s*\(/i.test(sql)
        ? sql.replace(/min\s*\(/i, 'max(')
        : null,
  (sql) =>
    /\.population/.test(sql)
      ? sql.replace('.population', '.area')
      : /\.area/.test(sql)
        ? sql.replace('.area', '.population')
        : null,
  (sql) => sql.replace(/\.(\w+)/, '.$1_name_x'),
  (sql) => sql.slice(0, Math.max(10, Math.floor(sql.length * 0.6))),
  (sql) => (/\bdesc\b/i.test(sql) ? sql.replace(/\bdesc\b/i, 'ASC') : null),
];

/** Make `perQuestion` candidates for every gold line. */
export function makeCandidates(gold: readonly GoldLine[], perQuestion: number, seed: number): object[] {
  const rand = seededRandom(seed);
  return gold.map((line, index) => {
    const correctShare = Math.min(1, Math.max(0, 0.15 + rand() * 0.95));
    const candidates = Array.from({ length: perQuestion }, () => {
      const correct = rand() < correctShare;
      let program = line.query;
      if (!correct) {
        for (let attempt = 0; attempt < 4; attempt++) {
          const mistake = MISTAKES[Math.floor(rand() * MISTAKES.length)]!(line.query, rand);
          if (mistake !== null) {
            program = mistake;
            break;
          }
        }
      }
      const surface = SURFACES[Math.floor(rand() * SURFACES.length)]!(program, rand);
      const logprob = Math.round((correct ? -0.15 - rand() * 0.3 : -0.3 - rand() * 0.5) * 1000) / 1000;
      return { program: surface, logprob };
    });
    return { id: index, question: line.question, ...(line.db_id ? { db_id: line.db_id } : {}), candidates };
  });
}

/** Read a gold JSONL file. */
export function readGold(path: string): GoldLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((text) => text.trim() !== '')
    .map((text) => JSON.parse(text) as GoldLine);
}

if (process.argv[1]?.endsWith('make-candidates.ts')) {
  const [input, output, perQuestion = '20', seed = '7', limit] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: make-candidates.ts GOLD.jsonl OUT.jsonl [per-question] [seed] [limit]\n');
    process.exit(2);
  }
  const gold = readGold(input).slice(0, limit ? Number(limit) : undefined);
  const lines = makeCandidates(gold, Number(perQuestion), Number(seed)).map((line) => JSON.stringify(line));
  writeFileSync(output, `${lines.join('\n')}\n`);
}

/**
 * Verification that costs less and catches more (issue 17), side by side in one run, on GeoQuery
 * (dev, 280 questions) and Spider (test, 1,043 questions) candidate sets with known truth, built
 * here from the gold programs and mutants of them (../shared/data):
 *
 * A. fixed n = 20 against adaptive reading (samples, same decision as the full read, agreement with
 *    the truth), in the library, and through `symgen generate` against a scripted loopback server
 *    (samples, requests, tokens, cost per accepted example, same decisions);
 * B. one database against `--test-suite 5`: sets of 10 gold and 10 coincident mutants (a literal
 *    moved across a boundary the data does not cross: same rows on the database) split; ordinary sets
 *    keep their decisions;
 * C. with and without the sanity checks: precision of accepted programs and correct ones lost, on
 *    sets where a flawed variant of gold (LIMIT through a tie, DISTINCT dropped, COUNT without
 *    DISTINCT) outvotes gold, beside the ordinary sets; and how often gold itself is flagged.
 *
 * Run: npm run bench:verify-quality (BENCH_QUESTIONS=N limits the questions per benchmark).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import type { ExecutionResult } from '../src/tasks/spec.js';
import { DatabaseSet, sqlResultChecks, sqlTask, tokenizeSql } from '../src/tasks/sql/index.js';
import { createLlmTestServer, createScriptedCandidateModel } from '../src/testing/index.js';
import { parseVerifyOptions } from '../src/verify/options.js';
import { type VerifiedRecord, verifyExample } from '../src/verify/verify-stream.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data');
const LIMIT = Number(process.env.BENCH_QUESTIONS ?? Number.POSITIVE_INFINITY);
/** Which parts to run (BENCH_PARTS=B,C skips the adaptive part A); all by default. */
const PARTS = new Set(
  (process.env.BENCH_PARTS ?? 'A,B,C').split(',').map((part) => part.trim().toUpperCase()),
);
const work = mkdtempSync(join(tmpdir(), 'symgen-verify-quality-'));
const executor = sqlTask.createExecutor({ workers: 1, timeoutMs: 2000 });

interface Gold {
  readonly benchmark: 'geoquery' | 'spider';
  readonly id: string;
  readonly question: string;
  readonly query: string;
  readonly dbPath: string;
  readonly dbId: string;
}

function readGold(): Gold[] {
  const geo = readFileSync(join(DATA, 'geoquery-sql', 'dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, LIMIT)
    .map((line, index) => {
      const value = JSON.parse(line) as { question: string; query: string };
      return {
        benchmark: 'geoquery' as const,
        id: `geo-${index}`,
        question: value.question,
        query: value.query,
        dbPath: join(DATA, 'geoquery-sql', 'geography.sqlite'),
        dbId: 'geography',
      };
    });
  const spider = readFileSync(join(DATA, 'spider-test', 'questions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, LIMIT)
    .map((line, index) => {
      const value = JSON.parse(line) as { question: string; query: string; db_id: string };
      return {
        benchmark: 'spider' as const,
        id: `spider-${index}`,
        question: value.question,
        query: value.query.replace(/;\s*$/, ''),
        dbPath: join(DATA, 'spider-test', 'database', `${value.db_id}.sqlite`),
        dbId: value.db_id,
      };
    });
  return [...geo, ...spider];
}

const databases = new Map<string, ReturnType<DatabaseSet['resolve']>>();
function environmentOf(gold: Gold) {
  let environment = databases.get(gold.dbPath);
  if (!environment) {
    environment = DatabaseSet.open(gold.dbPath).resolve(gold.dbId);
    databases.set(gold.dbPath, environment);
  }
  return environment;
}

async function run(program: string, gold: Gold): Promise<ExecutionResult> {
  return executor.execute(program, environmentOf(gold));
}

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0) / 2 ** 32;
}

/** Rewrites of one token: numbers moved, comparisons flipped, orders reversed, MAX/MIN swapped. */
function mutants(query: string, literalOnly = false): string[] {
  const tokens = tokenizeSql(query);
  const out: string[] = [];
  if (literalOnly) {
    // a literal of a comparison moved: the boundary mutants of the issue
    tokens.forEach((token, index) => {
      const previous = tokens[index - 1]?.text ?? '';
      if (token.kind !== 'number' || !['>', '<', '>=', '<=', '=', '!=', '<>'].includes(previous)) return;
      const value = Number(token.text);
      const step = Math.max(1, Math.abs(value) * 0.05);
      for (const moved of [
        value + 1,
        value - 1,
        value + step,
        value - step,
        value + 2 * step,
        value - 2 * step,
      ]) {
        const text = Number.isInteger(value) ? String(Math.round(moved)) : moved.toFixed(2);
        if (Number(text) !== value)
          out.push(query.slice(0, token.start) + text + query.slice(token.start + token.text.length));
      }
    });
    return [...new Set(out)];
  }
  const replace = (index: number, text: string) => {
    const token = tokens[index]!;
    return query.slice(0, token.start) + text + query.slice(token.start + token.text.length);
  };
  tokens.forEach((token, index) => {
    const lower = token.text.toLowerCase();
    if (token.kind === 'number') {
      const value = Number(token.text);
      for (const moved of [value + 1, value - 1, value * 2, Math.round(value / 2)])
        if (moved !== value) out.push(replace(index, String(moved)));
    } else if (token.kind === 'punct' || token.kind === 'other') {
      const flips: Record<string, string[]> = {
        '>': ['>=', '<'],
        '<': ['<=', '>'],
        '>=': ['>'],
        '<=': ['<'],
      };
      for (const flip of flips[token.text] ?? []) out.push(replace(index, flip));
    } else if (token.kind === 'word') {
      const swaps: Record<string, string> = { desc: 'ASC', asc: 'DESC', max: 'MIN', min: 'MAX', avg: 'SUM' };
      if (swaps[lower]) out.push(replace(index, swaps[lower]!));
    } else if (token.kind === 'string') {
      out.push(replace(index, `'${token.text.slice(1, -1)}x'`));
    }
  });
  if (!/\border by\b/i.test(query) && /\bwhere\b/i.test(query))
    out.push(query.replace(/\bwhere\b[\s\S]*$/i, ''));
  return out;
}

interface Pool {
  readonly gold: Gold;
  readonly goldKey: string;
  /** Programs with a result different from gold's (truth: wrong). */
  readonly wrong: string[];
  /** Programs with gold's result on the database that are not gold (coincident mutants). */
  readonly coincident: string[];
}

async function pool(gold: Gold): Promise<Pool | undefined> {
  const result = await run(gold.query, gold);
  if (result.status !== 'ok' || !result.key) return undefined;
  const wrong: string[] = [];
  const coincident: string[] = [];
  for (const mutant of [...new Set(mutants(gold.query))]) {
    const outcome = await run(mutant, gold);
    if (outcome.status === 'ok' && outcome.key !== result.key) wrong.push(mutant);
  }
  for (const mutant of mutants(gold.query, true)) {
    const outcome = await run(mutant, gold);
    if (outcome.status === 'ok' && outcome.key === result.key) coincident.push(mutant);
  }
  return { gold, goldKey: result.key, wrong, coincident };
}

/** 20 candidates of a question: gold (as written and lower-cased) with a drawn share, wrong ones, failures. */
function candidateSet(entry: Pool): string[] {
  const u = hash(`${entry.gold.id}:kind`);
  const share =
    u < 0.55
      ? 0.75 + 0.25 * hash(`${entry.gold.id}:s`)
      : u < 0.85
        ? 0.4 + 0.35 * hash(`${entry.gold.id}:s`)
        : 0.05 + 0.35 * hash(`${entry.gold.id}:s`);
  const wrong = entry.wrong.slice(0, 3);
  return Array.from({ length: 20 }, (_, index) => {
    const v = hash(`${entry.gold.id}:${index}`);
    if (v < share || wrong.length === 0)
      return index % 2 === 0 ? entry.gold.query : lowerCased(entry.gold.query);
    if (v > 0.97) return 'SELECT missing_column FROM nowhere';
    // the first wrong program is the likeliest
    const w = hash(`${entry.gold.id}:${index}:w`);
    return wrong[w < 0.6 ? 0 : w < 0.85 ? Math.min(1, wrong.length - 1) : wrong.length - 1]!;
  });
}

/**
 * Gold lower-cased outside its string literals: an equivalent rewrite (SQLite keywords and names
 * ignore case, `=` on text does not; lower-casing `'CANADA'` too made a different program, which
 * neighbours holding the literal tell apart).
 */
function lowerCased(query: string): string {
  let out = '';
  let at = 0;
  for (const token of tokenizeSql(query)) {
    out += query.slice(at, token.start).toLowerCase();
    out += token.kind === 'string' ? token.text : token.text.toLowerCase();
    at = token.start + token.text.length;
  }
  return out + query.slice(at).toLowerCase();
}

function verifyOptions(extra: Record<string, unknown> = {}) {
  return parseVerifyOptions({ minVotes: 3, tie: 'reject', testSuiteDir: join(work, 'neighbours'), ...extra });
}

async function verify(gold: Gold, programs: readonly string[], extra: Record<string, unknown> = {}) {
  return verifyExample(
    { id: gold.id, db_id: gold.dbId, candidates: programs.map((program) => ({ program })) },
    {
      task: sqlTask as never,
      executor,
      environment: () => environmentOf(gold),
      options: verifyOptions(extra),
      provenance: {},
    },
  );
}

/** The decision as a comparable value: rejected, or the result key of the chosen program. */
async function decision(record: VerifiedRecord, gold: Gold): Promise<string> {
  if (record.status !== 'accepted') return 'rejected';
  const result = await run(String(record.program), gold);
  return result.key ?? 'error';
}

const table = (rows: (string | number)[][]) => rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);

async function main_(): Promise<void> {
  const started = performance.now();
  const golds = readGold();
  const pools: Pool[] = [];
  for (const gold of golds) {
    const entry = await pool(gold);
    if (entry) pools.push(entry);
  }
  const report: string[] = [];
  report.push(
    `questions with executable gold: ${pools.length} (GeoQuery ${pools.filter((p) => p.gold.benchmark === 'geoquery').length}, Spider ${pools.filter((p) => p.gold.benchmark === 'spider').length})`,
  );

  const ordinaryDecisions = new Map<string, string>();
  // A. fixed against adaptive, in the library.
  if (PARTS.has('A')) {
    const rowsA: (string | number)[][] = [
      [
        'benchmark',
        'rule (first, step)',
        'questions',
        'samples fixed',
        'samples adaptive',
        'ratio',
        'same decision',
        'accepted correct (fixed)',
        'accepted correct (adaptive)',
      ],
    ];
    const RULES = [
      { adaptiveFirst: 5, adaptiveStep: 5 },
      { adaptiveFirst: 4, adaptiveStep: 2 },
      { adaptiveFirst: 3, adaptiveStep: 1 },
    ];
    for (const benchmark of ['geoquery', 'spider'] as const)
      for (const rule of RULES) {
        let fixedSamples = 0;
        let adaptiveSamples = 0;
        let same = 0;
        let questions = 0;
        const correct = { fixed: 0, adaptive: 0, acceptedFixed: 0, acceptedAdaptive: 0 };
        for (const entry of pools.filter((p) => p.gold.benchmark === benchmark)) {
          const programs = candidateSet(entry);
          const fixed = await verify(entry.gold, programs);
          const adaptive = await verify(entry.gold, programs, { adaptive: true, ...rule });
          const a = await decision(fixed, entry.gold);
          const b = await decision(adaptive, entry.gold);
          ordinaryDecisions.set(entry.gold.id, a);
          questions++;
          fixedSamples += 20;
          adaptiveSamples += (adaptive.adaptive as { read: number }).read;
          if (a === b) same++;
          if (a !== 'rejected') {
            correct.acceptedFixed++;
            if (a === entry.goldKey) correct.fixed++;
          }
          if (b !== 'rejected') {
            correct.acceptedAdaptive++;
            if (b === entry.goldKey) correct.adaptive++;
          }
        }
        rowsA.push([
          benchmark,
          `${rule.adaptiveFirst}, ${rule.adaptiveStep}`,
          questions,
          fixedSamples,
          adaptiveSamples,
          `${(fixedSamples / adaptiveSamples).toFixed(2)}x`,
          pct(same, questions),
          `${correct.fixed}/${correct.acceptedFixed} (${pct(correct.fixed, correct.acceptedFixed)})`,
          `${correct.adaptive}/${correct.acceptedAdaptive} (${pct(correct.adaptive, correct.acceptedAdaptive)})`,
        ]);
      }
    report.push(
      '\nA. fixed n = 20 against adaptive (confidence 0.95; first 4 and step 2 are the defaults), min votes 3\n',
    );
    report.push(table(rowsA));

    // A'. Through symgen generate against a scripted loopback server (GeoQuery questions).
    const scripted = pools
      .filter((p) => p.gold.benchmark === 'geoquery')
      .slice(0, 40)
      .map((entry) => {
        const programs = candidateSet(entry);
        const weights = new Map<string, number>();
        for (const program of programs) weights.set(program, (weights.get(program) ?? 0) + 1);
        return {
          question: entry.gold.question,
          candidates: [...weights].map(([text, weight]) => ({ text, weight })),
        };
      });
    const rowsG: (string | number)[][] = [
      [
        'mode',
        'accepted',
        'rejected',
        'gen_a samples',
        'requests',
        'tokens',
        'cost (USD)',
        'cost per accepted',
        'samples per accepted',
        'wall s',
      ],
    ];
    const datasets: Record<string, string> = {};
    const MODES = {
      fixed: 'adaptive: false',
      'adaptive 4, 2, fixed rounds': 'adaptive: true, adaptiveRounds: fixed',
      'adaptive 5, 5, fixed rounds':
        'adaptive: true, adaptiveFirst: 5, adaptiveStep: 5, adaptiveRounds: fixed',
      'adaptive 4, 2, cost rounds (default)': 'adaptive: true',
    } as const;
    for (const [mode, settings] of Object.entries(MODES)) {
      const server = await createLlmTestServer({ respond: createScriptedCandidateModel(scripted) });
      const out = join(work, `generate-${mode.replace(/\W+/g, '-')}`);
      const config = join(work, `generate-${mode.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(
        config,
        [
          'task: sql',
          `count: ${scripted.length}`,
          'seed: 1',
          `knowledge: { db: ${JSON.stringify(join(DATA, 'geoquery-sql', 'geography.sqlite'))}, rows: 1 }`,
          'generation:',
          '  genQ: { n: 10 }',
          '  genA: { n: 20, logprobs: false }',
          '  promptsPerRound: 4',
          `verify: { minVotes: 3, tie: reject, ${settings} }`,
          `llm: { provider: { kind: openai-compatible, model: scripted, baseURL: ${JSON.stringify(server.baseURL)} }, prices: { scripted: { inputPerMillion: 0.15, outputPerMillion: 0.6 } } }`,
          `output: { dir: ${JSON.stringify(out)} }`,
        ].join('\n'),
      );
      const t = performance.now();
      const stderr = process.stderr.write.bind(process.stderr);
      process.stderr.write = (() => true) as typeof process.stderr.write;
      let code: number;
      try {
        code = await main(['generate', config]);
      } finally {
        process.stderr.write = stderr;
      }
      const wall = (performance.now() - t) / 1000;
      await server.close();
      if (code !== 0) throw new Error(`symgen generate (${mode}) exited ${code}`);
      const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
      const lines =
        readFileSync(join(out, 'dataset.jsonl'), 'utf8') + readFileSync(join(out, 'rejected.jsonl'), 'utf8');
      datasets[mode] = lines
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const value = JSON.parse(line) as { id: string; status: string; reason?: string; program?: string };
          return `${value.id} ${value.status} ${value.reason ?? ''} ${value.program ?? ''}`;
        })
        .sort()
        .join('\n');
      rowsG.push([
        mode,
        stats.examples.accepted,
        stats.examples.rejected,
        stats.stages.gen_a.candidates,
        stats.usage.requests,
        stats.usage.promptTokens + stats.usage.completionTokens,
        stats.usage.costUsd.toFixed(6),
        stats.usage.perAccepted ? stats.usage.perAccepted.costUsd.toFixed(6) : '-',
        stats.usage.perAccepted ? stats.usage.perAccepted.samples : '-',
        wall.toFixed(1),
      ]);
    }
    const fixedLines = datasets.fixed!.split('\n');
    const same = (mode: string) => {
      const lines = new Set(datasets[mode]!.split('\n'));
      return fixedLines.filter((line) => lines.has(line)).length;
    };
    report.push(
      `\nA'. symgen generate against a scripted loopback server (${scripted.length} GeoQuery questions, gen_a n = 20; price $0.15/$0.60 per M tokens, no prompt-cache discount): same decision and program as fixed on ${Object.keys(
        MODES,
      )
        .slice(1)
        .map((mode) => `${same(mode)} (${mode})`)
        .join(', ')} of ${fixedLines.length} questions\n`,
    );
    report.push(table(rowsG));
  }

  // B. One database against --test-suite 5.
  if (PARTS.has('B')) {
    const coincidentSets = pools.filter((p) => p.coincident.length > 0);
    const rowsB: (string | number)[][] = [
      [
        'benchmark',
        'sets (10 gold + 10 coincident mutant)',
        'split with --test-suite 5',
        'split with --test-suite 10',
        'accepted on one db',
        'accepted with test suite 5',
      ],
    ];
    for (const benchmark of ['geoquery', 'spider'] as const) {
      let sets = 0;
      let split = 0;
      let acceptedOne = 0;
      let acceptedSuite = 0;
      let split10 = 0;
      for (const entry of coincidentSets.filter((p) => p.gold.benchmark === benchmark).slice(0, 64)) {
        const mutant = entry.coincident[Math.floor(hash(`${entry.gold.id}:c`) * entry.coincident.length)]!;
        const programs = Array.from({ length: 20 }, (_, index) =>
          index % 2 === 0 ? entry.gold.query : mutant,
        );
        const one = await verify(entry.gold, programs);
        const suite = await verify(entry.gold, programs, { testSuite: 5 });
        sets++;
        if ((suite.clusters as unknown[]).length > 1) split++;
        else if (process.env.BENCH_DEBUG)
          process.stderr.write(`not split: ${entry.gold.query}\n   mutant: ${mutant}\n`);
        const suite10 = await verify(entry.gold, programs, { testSuite: 10 });
        if ((suite10.clusters as unknown[]).length > 1) split10++;
        if (one.status === 'accepted') acceptedOne++;
        if (suite.status === 'accepted') acceptedSuite++;
      }
      rowsB.push([
        benchmark,
        sets,
        `${split} (${pct(split, sets)})`,
        `${split10} (${pct(split10, sets)})`,
        acceptedOne,
        acceptedSuite,
      ]);
    }
    // Ordinary sets keep their decision (a sample, neighbours are built per literal set).
    let ordinary = 0;
    let unchanged = 0;
    const splitEquivalent: string[] = [];
    for (const entry of pools.filter((_, index) => index % 4 === 0)) {
      const programs = candidateSet(entry);
      const suite = await verify(entry.gold, programs, { testSuite: 5 });
      ordinary++;
      const before =
        ordinaryDecisions.get(entry.gold.id) ??
        (await decision(await verify(entry.gold, programs), entry.gold));
      if ((await decision(suite, entry.gold)) === before) unchanged++;
      else {
        splitEquivalent.push(entry.gold.id);
        if (process.env.BENCH_DEBUG) process.stderr.write(`ordinary set changed: ${entry.gold.query}\n`);
      }
    }
    report.push('\nB. one database against --test-suite 5\n');
    report.push(table(rowsB));
    report.push(
      `\nordinary sets (every 4th question): same decision with --test-suite 5 on ${unchanged} of ${ordinary} (${pct(unchanged, ordinary)})${splitEquivalent.length > 0 ? `; changed: ${splitEquivalent.slice(0, 10).join(', ')}` : ''}`,
    );
  }
  // C. Sanity checks, on the labelled set (test/data/sql-checks/labelled.jsonl: GeoQuery and Spider
  // gold judged by hand where a check flags it, gold no check flags, gold with a flaw put in).
  if (PARTS.has('C')) {
    interface Labelled {
      db_id: string;
      question: string;
      program: string;
      label: 'correct' | 'flawed';
      source: string;
    }
    const labelled = readFileSync(
      join(import.meta.dirname, '..', 'test', 'data', 'sql-checks', 'labelled.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Labelled);
    const goldByQuestion = new Map(golds.map((gold) => [`${gold.dbId}\u0000${gold.question}`, gold]));
    const poolById = new Map(pools.map((entry) => [entry.gold.id, entry]));
    const sets: { gold: Gold; programs: string[]; truth: Map<string, boolean> }[] = [];
    for (const entry of labelled) {
      const gold = goldByQuestion.get(`${entry.db_id}\u0000${entry.question}`);
      if (!gold) continue;
      const goldResult = await run(gold.query, gold);
      if (entry.source.startsWith('gold with the flaw')) {
        // the flawed variant outvotes the (unflagged, correct) gold 12 to 8
        const programs = Array.from({ length: 20 }, (_, index) =>
          index % 5 < 3 ? entry.program : gold.query,
        );
        sets.push({ gold, programs, truth: new Map([[goldResult.key!, true]]) });
      } else {
        // gold as a model would give it: 14 of 20, with a wrong program beside it
        const wrong = poolById.get(gold.id)?.wrong[0];
        const programs = Array.from({ length: 20 }, (_, index) =>
          index % 10 < 7 || !wrong ? gold.query : wrong,
        );
        sets.push({ gold, programs, truth: new Map([[goldResult.key!, entry.label === 'correct']]) });
      }
    }
    const rowsC: (string | number)[][] = [
      ['checks', 'sets', 'accepted', 'accepted correct', 'precision', 'correct kept'],
    ];
    const correctAccepted: Record<string, Set<number>> = { off: new Set(), on: new Set() };
    for (const mode of ['off', 'on'] as const) {
      let acceptedCount = 0;
      let correctCount = 0;
      for (let index = 0; index < sets.length; index++) {
        const { gold, programs, truth } = sets[index]!;
        const record = await verify(gold, programs, { checks: mode === 'on' });
        const chosen = await decision(record, gold);
        if (chosen === 'rejected') continue;
        acceptedCount++;
        if (truth.get(chosen) === true) {
          correctCount++;
          correctAccepted[mode]!.add(index);
        }
      }
      rowsC.push([
        mode,
        sets.length,
        acceptedCount,
        correctCount,
        (correctCount / acceptedCount).toFixed(3),
        '',
      ]);
    }
    const kept = [...correctAccepted.off!].filter((index) => correctAccepted.on!.has(index)).length;
    rowsC[2]![5] = `${kept} of ${correctAccepted.off!.size} (${pct(kept, correctAccepted.off!.size)})`;
    report.push(
      `\nC. sanity checks on the labelled set (${labelled.length} programs): a flawed variant of gold outvoting gold 12 to 8, and each labelled gold at 14 of 20 beside a wrong program\n`,
    );
    report.push(table(rowsC));
    // How often gold itself is flagged.
    const flagged: Record<string, Record<string, number>> = { geoquery: {}, spider: {} };
    const totals: Record<string, number> = { geoquery: 0, spider: 0 };
    for (const entry of pools) {
      totals[entry.gold.benchmark]!++;
      const result = await run(entry.gold.query, entry.gold);
      for (const check of sqlResultChecks(entry.gold.query, environmentOf(entry.gold))) {
        const probe = await run(check.probe, entry.gold);
        if (check.flawed(probe, result))
          flagged[entry.gold.benchmark]![check.name] = (flagged[entry.gold.benchmark]![check.name] ?? 0) + 1;
      }
    }
    report.push(
      `\ngold programs flagged by a check: ${Object.entries(flagged)
        .map(
          ([benchmark, counts]) =>
            `${benchmark} ${Object.values(counts).reduce((a, b) => a + b, 0)} of ${totals[benchmark]} (${
              Object.entries(counts)
                .map(([name, count]) => `${name} ${count}`)
                .join(', ') || 'none'
            })`,
        )
        .join('; ')}`,
    );
  }
  report.push(`\ntotal ${((performance.now() - started) / 1000) | 0} s`);
  const text = report.join('\n');
  process.stdout.write(`${text}\n`);
  mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'out', 'verify-quality.md'), `${text}\n`);
}

try {
  await main_();
} finally {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
}

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB, GEOQUERY_TRAIN } from '../../test/shared-data.js';
import { main } from '../cli/main.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) =>
  existsSync(path),
);
const TRAIN = GEOQUERY_TRAIN;

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'symgen-report-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A run directory as `symgen generate` writes it: verified lines, rejections and stats.json. */
function writeRun(directory: string, withStats: boolean): void {
  mkdirSync(directory, { recursive: true });
  const gold = readFileSync(TRAIN, 'utf8').trim().split('\n').slice(0, 120);
  const accepted = gold.map((text, index) => {
    const { question, query } = JSON.parse(text) as { question: string; query: string };
    const confidence = [1, 0.85, 0.75, 0.55, 0.35][index % 5]!;
    return JSON.stringify({
      id: index,
      question,
      program: query,
      db_id: 'geography_db',
      status: 'accepted',
      confidence,
      votes: Math.round(confidence * 20),
      total: 20,
      // As symgen verify writes them: the winning group holds the program and a preview of its result.
      clusters: Array.from({ length: 1 + (index % 3) }, (_, group) =>
        group === 0
          ? {
              votes: 10,
              size: 2,
              preview: [[`row one of ${index}`], [2]],
              programs: [{ program: query, count: 10 }],
            }
          : { votes: 1, size: 1, preview: [['other']], programs: [{ program: 'SELECT 1', count: 1 }] },
      ),
    });
  });
  writeFileSync(join(directory, 'dataset.jsonl'), `${accepted.join('\n')}\n`);
  const rejected = ['below-min-votes', 'below-min-votes', 'no-executable', 'tie'].map((reason, index) =>
    JSON.stringify({
      id: 1000 + index,
      question: `rejected question ${index}`,
      db_id: 'geography_db',
      status: 'rejected',
      reason,
      ...(reason === 'no-executable'
        ? { errors: ['no such column: populaton'] }
        : {
            program: 'SELECT count(*) FROM state',
            clusters: [
              { votes: 2, size: 1, preview: [[50]], programs: [{ program: 'SELECT count(*) FROM state' }] },
              {
                votes: 2,
                size: 1,
                preview: [[51]],
                programs: [{ program: 'SELECT count(*) + 1 FROM state' }],
              },
            ],
          }),
    }),
  );
  writeFileSync(join(directory, 'rejected.jsonl'), `${rejected.join('\n')}\n`);
  if (withStats) {
    writeFileSync(
      join(directory, 'stats.json'),
      JSON.stringify({
        version: 1,
        run: {
          mode: 'llm',
          task: 'sql',
          model: { provider: 'openai-compatible.chat', modelId: 'gpt-4o-mini' },
        },
        stages: {
          gen_q: { samples: 400, kept: 124, dropped: { 'duplicate-exact': 200, 'too-short': 76 } },
          gen_a: {
            questions: 124,
            candidates: 2480,
            accepted: 120,
            rejected: 4,
            rejectedBy: { 'below-min-votes': 2, 'no-executable': 1, tie: 1 },
          },
        },
        examples: { total: 124, accepted: 120, rejected: 4, pending: 0, acceptRate: 0.9677 },
        usage: {
          requests: 140,
          promptTokens: 512000,
          completionTokens: 98000,
          cachedTokens: 300000,
          costUsd: 0.1357,
          byStage: {
            gen_q: { promptTokens: 40000, completionTokens: 18000, costUsd: 0.017 },
            gen_a: { promptTokens: 472000, completionTokens: 80000, costUsd: 0.1187 },
          },
        },
        timings: { wallMs: 61000 },
      }),
    );
  }
}

interface Seen {
  title: string;
  headings: string[];
  cards: string[];
  charts: { label: string; bars: number; visible: number; width: number; height: number }[];
  /** Example pairs by status, with the rendered cells of their result previews. */
  pairs: { status: string; question: string; cells: string[] }[];
  /** Links: their text and the URL they resolve to. */
  links: { text: string; href: string }[];
  sections: string[];
  text: string;
}

interface BrowserElement {
  readonly textContent: string | null;
  readonly innerText: string;
  readonly id: string;
  readonly href: string;
  querySelector(selector: string): BrowserElement | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  querySelectorAll(selector: string): Iterable<BrowserElement> & { length: number };
}
interface BrowserGlobals {
  readonly document: {
    readonly title: string;
    readonly body: BrowserElement;
    querySelectorAll(selector: string): Iterable<BrowserElement>;
  };
  getComputedStyle(element: BrowserElement): { visibility: string };
}

async function look(file: string): Promise<{ seen: Seen; requests: string[] }> {
  const { launch } = await import('puppeteer-core');
  const browser = await launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const seen = await page.evaluate((): Seen => {
      // Runs in the page: the DOM types are not in this project's (Node) type library.
      const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
      return {
        title: document.title,
        headings: [...document.querySelectorAll('h1, h2, h3')].map((element) => element.textContent ?? ''),
        cards: [...document.querySelectorAll('.card')].map((element) =>
          // biome-ignore lint/performance/useDomNodeTextContent: innerText is the rendered text a person reads
          element.innerText.replace(/\s+/g, ' '),
        ),
        charts: [...document.querySelectorAll('svg.chart')].map((svg) => {
          const box = svg.getBoundingClientRect();
          const bars = [...svg.querySelectorAll('rect.bar')];
          return {
            label: svg.getAttribute('aria-label') ?? '',
            bars: bars.length,
            visible: bars.filter((bar) => {
              const rect = bar.getBoundingClientRect();
              return rect.width > 0.5 && rect.height > 0.5 && getComputedStyle(bar).visibility !== 'hidden';
            }).length,
            width: box.width,
            height: box.height,
          };
        }),
        pairs: [...document.querySelectorAll('.pair')].map((pair) => ({
          status: pair.getAttribute('data-status') ?? '',
          question: pair.querySelector('.question')?.textContent ?? '',
          cells: [...pair.querySelectorAll('table.preview td')].map((cell) => cell.textContent ?? ''),
        })),
        links: [...document.querySelectorAll('a')].map((link) => ({
          text: link.textContent ?? '',
          href: link.href,
        })),
        sections: [...document.querySelectorAll('section')].map((element) => element.id),
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is the rendered text a person reads
        text: document.body.innerText,
      };
    });
    return { seen, requests };
  } finally {
    await browser.close();
  }
}

// Chromium is a Debian package `.ci/run` installs; outside CI, a machine without it skips this suite
// (under CI it always runs, and fails if the browser is missing).
describe.skipIf(!CHROMIUM && !process.env.CI)('symgen report in headless Chromium', () => {
  it('shows the funnel, confidence, coverage against the reference, diversity, tokens and cost, offline', async () => {
    if (!CHROMIUM)
      throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
    const run = join(folder, 'run-with-stats');
    writeRun(run, true);
    expect(await main(['report', run, '--reference', TRAIN, '--db', GEOGRAPHY_DB, '--no-embeddings'])).toBe(
      0,
    );
    const file = join(run, 'report.html');
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(/i);
    const { seen, requests } = await look(file);
    // nothing but the page itself was loaded
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(seen.title).toBe('symgen run report: run-with-stats');
    expect(seen.headings).toEqual(
      expect.arrayContaining([
        'Acceptance funnel',
        'Confidence histogram',
        'Program coverage',
        'Diversity of the questions',
        'Tokens and cost',
        'Hardness',
        'Clauses',
        'Rejected by the verifier',
        'Dropped before verification',
      ]),
    );
    expect(seen.cards).toEqual(
      expect.arrayContaining([
        '120 accepted examples',
        '96.8% acceptance rate',
        '610,000 tokens',
        '$0.14 cost (USD)',
        '0.70 mean confidence',
      ]),
    );
    const chart = (label: string) => seen.charts.find((entry) => entry.label === label)!;
    // funnel: four stages; confidence: five filled bins; every bar a person should see has a size
    expect(chart('Acceptance funnel')).toMatchObject({ bars: 4, visible: 4 });
    expect(chart('Confidence histogram').visible).toBe(5);
    expect(chart('Hardness levels').bars).toBe(8); // four levels, this dataset and the reference
    expect(chart('Hardness levels').visible).toBeGreaterThanOrEqual(6);
    expect(chart('Clause coverage').visible).toBeGreaterThanOrEqual(6);
    expect(chart('Diversity figures').visible).toBe(8);
    expect(chart('Tokens by stage')).toMatchObject({ bars: 2, visible: 2 });
    for (const entry of seen.charts) {
      expect(entry.width).toBeGreaterThan(200);
      expect(entry.height).toBeGreaterThan(20);
    }
    expect(seen.text).toContain('400');
    expect(seen.text).toContain('$0.1357');
    expect(seen.text).toContain('openai-compatible.chat gpt-4o-mini');
    // Example pairs: accepted ones with their result previews, the least sure ones, rejected ones with why.
    expect(seen.headings).toEqual(
      expect.arrayContaining([
        'Example pairs',
        'Accepted, by hardness level',
        'Lowest confidence',
        'Rejected',
        'Example pairs by database',
        'Data files',
      ]),
    );
    const accepted = seen.pairs.filter((pair) => pair.status === 'accepted');
    expect(accepted.length).toBeGreaterThanOrEqual(8);
    for (const pair of accepted) expect(pair.cells[0]).toMatch(/^row one of \d+$/);
    expect(seen.text).toContain('confidence 0.35 (7 of 20 votes)');
    const rejected = seen.pairs.filter((pair) => pair.status === 'rejected');
    // one of each reason first: below-min-votes (the most frequent), no-executable, tie
    expect(rejected.slice(0, 3).map((pair) => pair.question)).toEqual([
      'rejected question 0',
      'rejected question 2',
      'rejected question 3',
    ]);
    expect(seen.text).toContain('rejected: tie');
    expect(seen.text).toContain('error: no such column: populaton');
    expect(rejected[0]!.cells).toEqual(['50', '51']);
    // links to the data files, next to the page
    expect(seen.links.map((link) => link.text)).toEqual(['dataset.jsonl', 'rejected.jsonl', 'stats.json']);
    for (const link of seen.links) expect(link.href).toBe(pathToFileURL(join(run, link.text)).href);
  }, 60_000);

  it('degrades without stats.json: funnel and reasons from the datasets, no usage', async () => {
    if (!CHROMIUM)
      throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
    const run = join(folder, 'run-bare');
    writeRun(run, false);
    const out = join(folder, 'bare.html');
    expect(await main(['report', run, '--out', out, '--no-embeddings'])).toBe(0);
    const { seen } = await look(out);
    expect(seen.charts.find((entry) => entry.label === 'Acceptance funnel')).toMatchObject({
      bars: 2,
      visible: 2,
    });
    expect(seen.charts.find((entry) => entry.label === 'Rejections by reason')).toMatchObject({
      bars: 3,
      visible: 3,
    });
    expect(seen.text).toContain('No token accounting in this run');
    expect(seen.text).toContain('stats.json not found');
    expect(seen.cards).toContain('96.8% acceptance rate');
    // The page is written beside the run folder: its links still reach the run's files.
    expect(seen.links.map((link) => link.href)).toEqual([
      pathToFileURL(join(run, 'dataset.jsonl')).href,
      pathToFileURL(join(run, 'rejected.jsonl')).href,
    ]);
    // Without --db and without a run store, there is no schema to measure coverage against.
    expect(seen.text).toContain('Pass --db for table and column coverage.');
  }, 60_000);

  it('reports a real offline run of symgen generate', async () => {
    if (!CHROMIUM)
      throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
    const run = join(folder, 'generated');
    const config = join(import.meta.dirname, '..', '..', 'examples', 'geoquery', 'generate.yaml');
    // the programs-first generator, whose programs cover the whole schema
    expect(await main(['generate', config, '--offline-method', 'programs-first', '--out', run])).toBe(0);
    expect(await main(['report', run, '--no-embeddings'])).toBe(0);
    const { seen } = await look(join(run, 'report.html'));
    expect(seen.charts.find((entry) => entry.label === 'Acceptance funnel')).toMatchObject({
      bars: 3,
      visible: 3,
    });
    expect(seen.text).toContain('questions asked for');
    expect(seen.text).toContain('offline programs-first generator');
    expect(seen.headings).toContain('By database');
    expect(seen.charts.find((entry) => entry.label === 'Hardness levels')!.visible).toBeGreaterThanOrEqual(3);
    // The run knows its database: coverage against it without --db (GeoQuery has 29 columns).
    expect(seen.text).toMatch(/columns used\s+29 \(100\.0% of the schema\)/);
    expect(seen.text).toContain("Tables and columns against the run's database");
    // An offline run used no model: no tokens-and-cost section and no token or cost cards.
    expect(seen.sections).not.toContain('usage');
    expect(seen.headings).not.toContain('Tokens and cost');
    expect(seen.cards.filter((card) => /tokens|cost/.test(card))).toEqual([]);
    // Example pairs at each hardness level, each with the rows its program returned.
    for (const level of ['easy', 'medium', 'hard', 'extra'])
      expect(seen.text).toMatch(new RegExp(`${level}: 3 of \\d+ accepted`));
    const accepted = seen.pairs.filter((pair) => pair.status === 'accepted');
    expect(accepted.length).toBeGreaterThanOrEqual(12);
    expect(accepted.every((pair) => pair.cells.length > 0)).toBe(true);
    expect(seen.headings).toContain('Example pairs by database');
    expect(seen.links.map((link) => link.text)).toEqual(
      expect.arrayContaining(['dataset.jsonl', 'stats.json', 'dataset.parquet', 'dataset.chat.jsonl']),
    );
  }, 60_000);

  it('refuses a folder without dataset.jsonl', async () => {
    expect(await main(['report', folder])).toBe(2);
  });
});

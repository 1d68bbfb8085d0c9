import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateGeoRun } from '../../test/geo-run.js';
import { RunReviews } from '../store/run-reviews.js';
import { RunStore } from '../store/run-store.js';
import { type ReviewServer, startReviewServer } from './review-server.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) =>
  existsSync(path),
);

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    // biome-ignore lint/suspicious/noExplicitAny: the test walks dataset lines
    .map((line) => JSON.parse(line) as Record<string, any>);

interface BrowserGlobals {
  readonly document: {
    readonly body: { readonly dataset: Record<string, string | undefined> };
    getElementById(id: string): { textContent: string | null; hidden: boolean; value?: string } | null;
    querySelectorAll(
      selector: string,
    ): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
    readonly activeElement: { id: string } | null;
  };
}

/** Text of an element by id, read in the page. */
async function text(page: Page, id: string): Promise<string> {
  return page.evaluate((name) => {
    const { document } = globalThis as unknown as BrowserGlobals;
    return document.getElementById(name)?.textContent ?? '';
  }, id);
}

/** Waits until the page has no request in flight (it counts them in `body[data-pending]`). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as unknown as BrowserGlobals).document.body.dataset.pending === '0',
    { timeout: 20_000 },
  );
}

/** Chooses a filter value and waits for the queue and the example to load. */
async function filter(page: Page, name: string, value: string): Promise<void> {
  await page.select(`#filters select[name=${name}]`, value);
  await settled(page);
}

/** The id of the example on screen (the meta line starts with it). */
async function currentId(page: Page): Promise<string> {
  return (await text(page, 'meta')).split(' · ')[0]!;
}

async function waitForText(page: Page, id: string, pattern: RegExp): Promise<string> {
  await page.waitForFunction(
    (name, source) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return new RegExp(source).test(document.getElementById(name)?.textContent ?? '');
    },
    { timeout: 20_000 },
    id,
    pattern.source,
  );
  return text(page, id);
}

describe.skipIf(!CHROMIUM && !process.env.CI)('symgen review in headless Chromium', () => {
  let folder: string;
  let run: string;
  let server: ReviewServer;
  let browser: Browser;
  beforeAll(async () => {
    if (!CHROMIUM)
      throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    folder = mkdtempSync(join(tmpdir(), 'symgen-review-browser-'));
    run = await generateGeoRun(join(folder, 'sql'));
    server = await startReviewServer({ runDirectory: run });
    const { launch } = await import('puppeteer-core');
    browser = await launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${join(folder, 'chromium-profile')}`,
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    vi.restoreAllMocks();
    rmSync(folder, { recursive: true, force: true });
  });

  it('accepts by click, rejects with a reason by key, edits with a re-execution, and filters, offline', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('#queue li.current');
    expect(await page.title()).toBe(`symgen review: ${run}`);

    // the queue: lowest confidence first
    const confidences = await page.$$eval('#queue li .c', (cells) =>
      cells.map((cell) => Number(cell.textContent)),
    );
    expect(confidences.length).toBeGreaterThan(10);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));

    // 1. a click on Accept, for the lowest-confidence example that has a program: pick it with the filter
    await settled(page);
    await filter(page, 'reason', 'below-min-votes');
    expect(await text(page, 'meta')).toMatch(/below-min-votes/);
    const first = await currentId(page);
    expect(await page.$$eval('#groups .group', (groups) => groups.length)).toBeGreaterThan(1);
    await page.click('#accept');
    await waitForText(page, 'message', new RegExp(`accept saved for ${first}`));

    // 2. the keyboard: r, type a reason, Enter
    await settled(page);
    await filter(page, 'reason', '');
    await filter(page, 'status', 'accepted');
    await page.click('#queue li:nth-child(2)');
    await settled(page);
    expect(await text(page, 'meta')).toMatch(/· accepted/);
    const second = await currentId(page);
    await page.keyboard.press('r');
    expect(
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.id),
    ).toBe('reject-reason');
    await page.keyboard.type('joins the wrong table');
    await page.keyboard.press('Enter');
    await waitForText(page, 'message', new RegExp(`reject saved for ${second}`));

    // 3. edit: e, a failing program runs and is refused, a fixed one runs (Ctrl+Enter) and saves (Ctrl+S)
    await settled(page);
    await filter(page, 'status', 'rejected');
    await filter(page, 'reason', 'no-program');
    expect(await text(page, 'meta')).toMatch(/no-program/);
    const third = await currentId(page);
    await page.keyboard.press('e');
    await page.waitForSelector('#program-edit:not([hidden])');
    await page.type('#program-edit', 'SELECT state_nam FROM state');
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    expect(await waitForText(page, 'edit-result', /Result: error/)).toMatch(/no such column: state_nam/);
    await page.keyboard.down('Control');
    await page.keyboard.press('s');
    await page.keyboard.up('Control');
    await waitForText(page, 'message', /did not run/);
    // fix it: select all in the editor and type the right program, then the Run button
    await page.click('#program-edit', { clickCount: 3 });
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await page.keyboard.type("SELECT capital FROM state WHERE state_name = 'alaska'");
    await page.click('#run-program');
    expect(await waitForText(page, 'edit-result', /Result: ok/)).toContain('juneau');
    await page.click('#save');
    await waitForText(page, 'message', new RegExp(`edit saved for ${third}`));

    // 4. the accept shortcut, after moving with j and k, on another below-min-votes example
    await settled(page);
    await filter(page, 'status', '');
    await filter(page, 'reason', 'below-min-votes');
    await page.keyboard.press('j');
    await settled(page);
    await page.keyboard.press('k');
    await settled(page);
    const fourth = await currentId(page);
    expect(fourth).not.toBe(first);
    await page.keyboard.press('a');
    await waitForText(page, 'message', new RegExp(`accept saved for ${fourth}`));
    expect(await waitForText(page, 'counts', /reviewed 4 /)).toBe(
      'reviewed 4 (accepted 3, rejected 1, edited 1)',
    );

    // nothing but this server was asked for anything
    expect(requests.length).toBeGreaterThan(10);
    for (const url of requests) expect(url.startsWith(server.url)).toBe(true);

    // what the browser did is in run.sqlite and the run files
    const store = RunStore.open(run, { create: false });
    let reviews: ReturnType<RunReviews['reviews']>;
    try {
      reviews = new RunReviews(store).reviews();
    } finally {
      store.close();
    }
    expect(reviews.map((review) => [review.exampleId, review.action])).toEqual([
      [first, 'accept'],
      [second, 'reject'],
      [third, 'edit'],
      [fourth, 'accept'],
    ]);
    expect(reviews[1]!.reason).toBe('joins the wrong table');
    const dataset = readLines(join(run, 'dataset.jsonl'));
    const edited = dataset.find((line) => line.id === third)!;
    expect(edited.program).toBe("SELECT capital FROM state WHERE state_name = 'alaska'");
    expect(edited.review).toMatchObject({
      status: 'accepted',
      edited: ['program'],
      result: { status: 'ok', preview: [['juneau']] },
    });
    expect(dataset.find((line) => line.id === first)!.review.status).toBe('accepted');
    expect(readLines(join(run, 'rejected.jsonl')).find((line) => line.id === second)!.review).toMatchObject({
      status: 'rejected',
      reason: 'joins the wrong table',
    });
  }, 120_000);
});

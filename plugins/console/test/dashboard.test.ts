// The usage dashboard in real headless Chromium against a real gateway: requests sent through
// /v1/chat/completions show up in the figures, the breakdowns, the charts and the requests view.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestGateway } from '@gatehousejs/core/testing';
import { tempDir } from '@gatehousejs/plugin-usage/testing';
import { ADMIN_KEY, launchBrowser, screenshot, signedInPage, startConsoleGateway } from './helpers.js';
import { ALICE, BOB, cardValue, dashboardConfig, openHash, send, summary, waitForCard, waitForRecords, type Call } from './dashboard-helpers.js';

const MINUTE = 60_000;

/** 46 calls to "chat" (alice, one streamed), 3 to "chat-b" and 3 to "broken" (bob): 52 in all, 3 failed. */
const CALLS: Call[] = [
  { endpoint: 'chat', key: ALICE, content: 'streamed hello', stream: true },
  ...Array.from({ length: 45 }, (_, i) => ({ endpoint: 'chat', key: ALICE, content: `question ${i} for chat` })),
  ...Array.from({ length: 3 }, (_, i) => ({ endpoint: 'chat-b', key: BOB, content: `question ${i} for chat b` })),
  ...Array.from({ length: 3 }, (_, i) => ({ endpoint: 'broken', key: BOB, content: `question ${i} that fails` })),
];

const cell = (page: Page, dimension: string, group: string, column: number) =>
  page.textContent(`[data-dimension="${dimension}"] tr[data-group="${group}"] > :nth-child(${column})`).then((t) => t!.trim());

/** Every row of the requests view, after following "Load more" to the end. */
async function allRows(page: Page): Promise<number> {
  await page.waitForSelector('.dash-records, .dash-empty');
  while (await page.isVisible('.dash-more')) {
    const before = await page.locator('.dash-records tbody tr').count();
    await page.click('.dash-more');
    await page.waitForFunction((n) => document.querySelectorAll('.dash-records tbody tr').length > n, before);
  }
  return page.locator('.dash-records tbody tr').count();
}

describe('console: usage dashboard', function () {
  this.timeout(60_000);
  const data = tempDir('console');
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const scriptErrors: Error[] = [];

  before(async () => {
    gateway = await startConsoleGateway({ config: dashboardConfig(data.dir) });
    const statuses = await Promise.all(CALLS.map((call) => send(gateway.url, call)));
    expect(statuses.filter((s) => s === 200)).to.have.length(49);
    expect(statuses.filter((s) => s === 502)).to.have.length(3);
    await waitForRecords(gateway.url, CALLS.length);
    browser = await launchBrowser();
    page = await signedInPage(browser, gateway.url);
    page.on('pageerror', (error) => scriptErrors.push(error));
  });
  // A script error on the page fails the test that caused it.
  afterEach(() => expect(scriptErrors.splice(0).map(String)).to.deep.equal([]));

  after(async () => {
    await browser?.close();
    await gateway?.close();
    data.remove();
  });

  it('shows the requests sent: totals, error rate, the breakdowns and four drawn charts', async () => {
    await openHash(page, '#/usage?range=1h');
    await waitForCard(page, 'requests', '52');
    expect(await cardValue(page, 'errors')).to.equal('5.8%'); // 3 of 52
    expect(await cardValue(page, 'cost')).to.match(/^\$0\.0+[1-9]/); // a few tokens at $1–2 per million
    // The whole range's percentiles: one group over all 52.
    const [all] = await summary(gateway.url, 'group_by=none&from=1h');
    expect(all!.requests).to.equal(52);
    expect(await cardValue(page, 'latency')).to.match(/ms$/);
    expect(await page.textContent('[data-metric="latency"]')).to.contain('p90').and.contain('p99');
    expect(await cell(page, 'endpoint', 'chat', 2)).to.equal('46');
    expect(await cell(page, 'endpoint', 'chat-b', 2)).to.equal('3');
    expect(await cell(page, 'endpoint', 'broken', 2)).to.equal('3');
    expect(await cell(page, 'endpoint', 'broken', 3)).to.equal('100%');
    expect(await cell(page, 'model', 'mock-chat', 2)).to.equal('46');
    expect(await cell(page, 'provider', 'mock', 2)).to.equal('52');
    expect(await cell(page, 'key', 'config:alice', 2)).to.equal('46');
    expect(await cell(page, 'key', 'config:bob', 2)).to.equal('6');
    // uPlot drew on a canvas of real size in each chart.
    const canvases = await page.$$eval('.dash-chart canvas', (all) => all.map((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]));
    expect(canvases).to.have.length(4);
    for (const [w, h] of canvases) expect(w! > 200 && h! > 100, `canvas ${w}x${h}`).to.equal(true);
    await screenshot(page, 'dashboard');
    // Every control labelled, every button named, every table with column headers (uPlot's legends aside).
    const unlabelled = await page.evaluate(() => ({
      missing: Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('main input, main select')).filter((c) => (c.labels?.length ?? 0) === 0 && !c.getAttribute('aria-label')).map((c) => c.name),
      silent: Array.from(document.querySelectorAll('main button')).filter((b) => (b.textContent ?? '').trim() === '').map((b) => b.outerHTML),
      headless: Array.from(document.querySelectorAll('main table:not(.u-legend)')).filter((t) => t.querySelectorAll('th[scope="col"]').length === 0).length,
    }));
    expect(unlabelled).to.deep.equal({ missing: [], silent: [], headless: 0 });
  });

  it('resizes the charts with the window', async () => {
    await openHash(page, '#/usage?range=1h');
    await waitForCard(page, 'requests', '52');
    const width = () => page.$eval('.dash-chart .uplot', (el) => el.getBoundingClientRect().width);
    const wide = await width();
    await page.setViewportSize({ width: 640, height: 860 });
    await page.waitForFunction((w) => document.querySelector('.dash-chart .uplot')!.getBoundingClientRect().width < w - 50, wide);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.waitForFunction((w) => Math.abs(document.querySelector('.dash-chart .uplot')!.getBoundingClientRect().width - w) < 2, wide);
  });

  it('filters by endpoint: the hash keeps the filter (a reload too) and the figures change', async () => {
    await openHash(page, '#/usage?range=1h');
    await waitForCard(page, 'requests', '52');
    await page.selectOption('select[name="endpoint"]', 'chat');
    await page.waitForFunction(() => location.hash.includes('endpoint=chat'));
    await waitForCard(page, 'requests', '46');
    expect(await cardValue(page, 'errors')).to.equal('0%');
    expect(await page.locator('[data-dimension="endpoint"] tbody tr').count()).to.equal(1);
    expect(await page.locator('[data-dimension="key"] tbody tr').count()).to.equal(1);
    await screenshot(page, 'dashboard-filtered');
    await page.reload();
    await waitForCard(page, 'requests', '46');
    expect(await page.inputValue('select[name="endpoint"]')).to.equal('chat');
    // The streamed call is the only one with a time to first token.
    await openHash(page, '#/usage?range=1h&endpoint=chat&view=requests');
    expect(await allRows(page)).to.equal(46);
    const ttft = await page.$$eval('.dash-records tbody tr > :nth-child(7)', (all) => all.map((c) => c.textContent!.trim()).filter((t) => t !== '—'));
    expect(ttft).to.have.length(1);
    expect(ttft[0]).to.match(/ms|s$/);
  });

  it('filters by key, and by a custom time range (which replaces the preset in the hash)', async () => {
    await openHash(page, '#/usage?range=1h');
    await waitForCard(page, 'requests', '52');
    await page.selectOption('select[name="key"]', 'config:bob');
    await page.waitForFunction(() => location.hash.includes('key=config%3Abob'));
    await waitForCard(page, 'requests', '6');
    expect(await cardValue(page, 'errors')).to.equal('50%');
    await page.click('[data-filter="key"] button');
    await waitForCard(page, 'requests', '52');

    // datetime-local takes the browser's local time.
    const local = (ms: number) => page.evaluate((m) => new Date(m - new Date(m).getTimezoneOffset() * 60_000).toISOString().slice(0, 16), ms);
    const now = Date.now();
    await page.click('[data-range="custom"]');
    await page.fill('input[name="from"]', await local(now - 2 * 3_600_000));
    await page.fill('input[name="to"]', await local(now + 2 * MINUTE));
    await page.click('.dash-custom button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('from=') && !location.hash.includes('range='));
    await waitForCard(page, 'requests', '52');
    await page.fill('input[name="from"]', await local(now - 48 * 3_600_000));
    await page.fill('input[name="to"]', await local(now - 24 * 3_600_000));
    await page.click('.dash-custom button[type="submit"]');
    await page.waitForSelector('.dash-empty');
    expect(await cardValue(page, 'requests')).to.equal('0');
    const before = await page.evaluate(() => location.hash);
    await page.fill('input[name="from"]', await local(now));
    await page.fill('input[name="to"]', await local(now - 3_600_000));
    await page.click('.dash-custom button[type="submit"]');
    expect(await page.textContent('.dash-custom [role="alert"]')).to.include('must come before');
    expect(await page.evaluate(() => location.hash)).to.equal(before);
    await page.click('[data-range="15m"]');
    await page.waitForFunction(() => location.hash.includes('range=15m') && !location.hash.includes('from='));
    await waitForCard(page, 'requests', '52');
  });

  it('drills from a breakdown row into its requests, pages with "Load more" and opens one with its payloads', async () => {
    await openHash(page, '#/usage?range=1h');
    await waitForCard(page, 'requests', '52');
    await page.click('[data-dimension="endpoint"] tr[data-group="chat-b"] > :nth-child(2)');
    await page.waitForFunction(() => location.hash.includes('view=requests') && location.hash.includes('endpoint=chat-b'));
    expect(await allRows(page)).to.equal(3);
    const endpoints = await page.$$eval('.dash-records tbody tr > :nth-child(2)', (all) => all.map((c) => c.textContent));
    expect(endpoints).to.deep.equal(['chat-b', 'chat-b', 'chat-b']);
    await screenshot(page, 'requests');

    await page.click('.dash-records tbody tr:first-child');
    await page.waitForSelector('.dash-detail');
    expect(await page.evaluate(() => location.hash)).to.match(/[?&]id=/);
    expect(await page.textContent('.dash-detail dl')).to.include('config:bob');
    const request = JSON.parse((await page.textContent('[data-payload="request"] pre'))!) as { model: string; messages: { content: string }[] };
    expect(request.model).to.equal('chat-b');
    expect(request.messages[0]!.content).to.match(/^question \d for chat b$/);
    expect(await page.textContent('[data-payload="response"] pre')).to.include('from chat b');
    await screenshot(page, 'request-detail');

    // Without a filter, the first page holds 50 of the 52 and "Load more" brings the rest.
    await openHash(page, '#/usage?range=1h&view=requests');
    await page.waitForSelector('.dash-more');
    expect(await page.locator('.dash-records tbody tr').count()).to.equal(50);
    expect(await allRows(page)).to.equal(52);
  });

  it('drills from a point on the requests chart into the requests of that minute', async () => {
    const minutes = await summary(gateway.url, 'group_by=minute&from=1h');
    const busiest = minutes.reduce((a, b) => (b.requests > a.requests ? b : a));
    const start = Date.parse(busiest.group!);
    // Three minute buckets, the busiest in the middle: a click at the plot's centre picks it.
    await openHash(page, `#/usage?from=${new Date(start - MINUTE).toISOString()}&to=${new Date(start + 2 * MINUTE).toISOString()}`);
    await page.waitForSelector('.dash-chart canvas');
    const over = (await page.$('.dash-chart .u-over'))!;
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 - 20, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => location.hash.includes('view=requests'));
    const params = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
    expect(params.get('from')).to.equal(new Date(start).toISOString());
    expect(params.get('to')).to.equal(new Date(start + MINUTE).toISOString());
    expect(await allRows(page)).to.equal(busiest.requests);
    // Back on the dashboard, that minute is the range: one bucket, the same count.
    await page.click('text=Back to the dashboard');
    await waitForCard(page, 'requests', String(busiest.requests));
    expect(await page.locator('.dash-chart canvas').count()).to.equal(4);
    await screenshot(page, 'dashboard-one-minute');
  });

  it('shows an empty state when nothing matches, and an alert when the API refuses a filter', async () => {
    await openHash(page, '#/usage?range=15m&key=nobody');
    await page.waitForSelector('.dash-empty');
    expect(await page.textContent('.dash-empty')).to.include('No requests match');
    expect(await cardValue(page, 'requests')).to.equal('0');
    await openHash(page, '#/usage?range=15m&key=nobody&view=requests');
    await page.waitForSelector('.dash-empty');
    expect(await page.locator('.dash-records').count()).to.equal(0);
    await openHash(page, '#/usage?status=teapot');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).to.include('status');
  });
});

describe('console: usage dashboard without payload recording', function () {
  this.timeout(60_000);
  let gateway: TestGateway;
  let browser: Browser;

  before(async () => {
    gateway = await startConsoleGateway();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('says that payload recording is off in the request detail, and names an issued key', async () => {
    const issued = await fetch(`${gateway.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci-bot' }),
    });
    expect(issued.status).to.equal(201);
    const key = (await issued.json()) as { id: string; key: string };
    expect(await send(gateway.url, { endpoint: 'chat', key: key.key, content: 'hi' })).to.equal(200);
    await waitForRecords(gateway.url, 1);
    const page = await signedInPage(browser, gateway.url);
    await openHash(page, '#/usage?view=requests&range=15m');
    await page.click('.dash-records tbody tr:first-child');
    await page.waitForSelector('.dash-detail');
    expect(await page.textContent('[data-payload="request"]')).to.include('payload recording is off');
    expect(await page.textContent('[data-payload="response"]')).to.include('payload recording is off');
    // Records carry the key's id; the console shows the name the operator gave it beside it.
    expect(await page.textContent('.dash-records tbody tr:first-child > :nth-child(4)')).to.equal(`ci-bot (${key.id})`);
    await page.close();
  });
});

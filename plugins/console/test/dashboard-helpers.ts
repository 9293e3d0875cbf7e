// Traffic for the dashboard's browser tests: real requests through /v1/chat/completions with
// two declared caller keys, an endpoint whose mock always fails, one streamed answer, and a
// wait until the usage store holds them all.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { ADMIN_KEY, FILE_ENDPOINTS } from './helpers.js';

export const ALICE = `alice-${randomBytes(16).toString('hex')}`;
export const BOB = `bob-${randomBytes(16).toString('hex')}`;

/** "chat" (the helpers' file endpoint), a second model without a price, and one that always fails. */
export const DASHBOARD_ENDPOINTS = [
  ...FILE_ENDPOINTS,
  { name: 'chat-b', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-b', config: { response: 'from chat b' } } },
  { name: 'broken', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-broken', config: { faults: { status: 500, message: 'injected' } } } },
];

/** The gateway's config for these tests (startConsoleGateway spreads it over its defaults). */
export function dashboardConfig(dataDir: string): Record<string, unknown> {
  return {
    endpoints: DASHBOARD_ENDPOINTS,
    // Bodies recorded so the detail panel has payloads; a price for one model so costs show.
    usage: { data_dir: dataDir, flush_interval_ms: 50, record_bodies: true, prices: { 'mock/mock-chat': { input: 1, output: 2 } } },
    keys: { admin_key: '$GH_TEST_ADMIN_KEY', keys: [{ name: 'alice', key: ALICE }, { name: 'bob', key: BOB }] },
  };
}

export interface Call {
  readonly endpoint: string;
  readonly key: string;
  readonly content: string;
  readonly stream?: boolean;
}

/** One call: the answer read to its end (a stream included), its status returned. */
export async function send(base: string, call: Call): Promise<number> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${call.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: call.endpoint,
      messages: [{ role: 'user', content: call.content }],
      ...(call.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  });
  await response.text();
  return response.status;
}

export async function adminGet<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Group {
  group: string | null;
  requests: number;
}

export async function summary(base: string, query: string): Promise<Group[]> {
  return (await adminGet<{ groups: Group[] }>(base, `/api/usage/summary?${query}`)).groups;
}

/** Until the store has `count` records (it flushes every 50 ms here). */
export async function waitForRecords(base: string, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const total = (await summary(base, 'group_by=endpoint')).reduce((s, g) => s + g.requests, 0);
    if (total === count) return;
    if (Date.now() > deadline) throw new Error(`the usage store holds ${total} records, expected ${count}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Moves the console to a hash (as a link would), without reloading the page. */
export async function openHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/** The text of a dashboard card's figure. */
export async function cardValue(page: Page, metric: string): Promise<string> {
  return (await page.textContent(`[data-metric="${metric}"] .dash-card-value`))!.trim();
}

/** Waits until a card shows the expected text (figures change after a filter's fetch). */
export async function waitForCard(page: Page, metric: string, expected: string): Promise<void> {
  await page.waitForFunction(
    ([m, e]) => document.querySelector(`[data-metric="${m}"] .dash-card-value`)?.textContent?.trim() === e,
    [metric, expected] as const,
    { timeout: 10_000 },
  );
}

// Shared fixtures of the console's tests: a real gateway (mock provider; usage, keys, management
// and console plugins) on 127.0.0.1 with a throwaway SQLite directory, and a real headless
// Chromium driven by playwright-core. Screenshots go to test-artifacts/console at the repo root.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '@gatehousejs/plugin-usage';
import { tempDir } from '@gatehousejs/plugin-usage/testing';
import keys from '@gatehousejs/plugin-keys';
import management from '@gatehousejs/plugin-management';
import consolePlugin from '../src/index.js';

export const ADMIN_KEY = `admin-${randomBytes(16).toString('hex')}`;
export const MASTER_KEY = randomBytes(32).toString('base64');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = process.env.GATEHOUSE_TEST_ARTIFACTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test-artifacts', 'console');

export const FILE_ENDPOINTS = [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat', config: { response: 'from the file' } } }];

export interface ConsoleGatewayOptions {
  readonly config?: Record<string, unknown>;
  readonly dataDir?: string;
}

/** Usage records flush every 50 ms here, so the dashboard sees a request almost at once. */
export async function startConsoleGateway(options: ConsoleGatewayOptions = {}): Promise<TestGateway> {
  const temp = options.dataDir === undefined ? tempDir('console') : undefined;
  const dataDir = options.dataDir ?? temp!.dir;
  const gateway = await startTestGateway({
    config: {
      endpoints: FILE_ENDPOINTS,
      usage: { data_dir: dataDir, flush_interval_ms: 50 },
      keys: { admin_key: '$GH_TEST_ADMIN_KEY' },
      ...options.config,
    },
    providers: [mock],
    plugins: [{ definition: usage }, { definition: keys }, { definition: management }, { definition: consolePlugin }],
    discover: false,
    env: { ...process.env, GH_TEST_ADMIN_KEY: ADMIN_KEY, GATEHOUSE_MASTER_KEY: MASTER_KEY },
  });
  if (!temp) return gateway;
  const close = gateway.close.bind(gateway);
  return Object.assign(gateway, {
    async close() {
      await close();
      temp.remove();
    },
  });
}

/** Real headless Chromium; a missing browser fails the run (CI installs it), never skips. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A page already signed in (the key goes in through the sign-in form, as an operator's would). */
export async function signedInPage(browser: Browser, base: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${base}/ui`);
  await page.fill('input[name="admin-key"]', ADMIN_KEY);
  await page.click('button[type="submit"]');
  await page.waitForSelector('nav');
  return page;
}

export interface Reply {
  readonly status: number;
  readonly body: any;
}

/** A call with the admin key (the management, keys and usage APIs, or /v1 as the "admin" caller). */
export async function adminCall(base: string, method: string, path: string, body?: unknown, key = ADMIN_KEY): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a stream or plain text: kept as text
  }
  return { status: response.status, body: parsed };
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Test fixtures: in-process gateways on the mock provider with the usage plugin (prices, the
// SQLite records spend is rebuilt from) in a temporary data directory, a stand-in for the keys
// plugin (its principal contract), and a webhook receiver that can fail on demand.
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createError, definePlugin, type Clock, type PluginDefinition } from '@gatehousejs/core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '@gatehousejs/plugin-usage';
import budgets from '../src/index.js';

/** $1000 per million tokens either way: one mock "token" (a word) costs USD 0.001. */
export const PRICES = { 'gpt-4o-mini': { input: 1000, output: 1000 } };
export const NANO_PER_TOKEN = 1_000_000;

export const KEYS: Readonly<Record<string, { id: string }>> = { 'sk-alpha': { id: 'key-alpha' }, 'sk-beta': { id: 'key-beta' } };

export const testKeys: PluginDefinition = definePlugin({
  id: 'test-keys',
  apiVersion: 1,
  setup(api) {
    api.hooks.authenticate.tap(async (ctx) => {
      const principal = KEYS[ctx.credential ?? ''];
      if (!principal) throw createError('GW_ERR_UNAUTHENTICATED', 'unknown key');
      return principal;
    });
  },
});

export function chat(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini' }, ...extra };
}

// Every data directory a test makes is removed when the test process ends.
const madeDirs: string[] = [];
process.once('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

export function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-budgets-'));
  madeDirs.push(dir);
  return dir;
}

export interface GatewaySetup {
  readonly budgets: Record<string, unknown>;
  readonly endpoints?: readonly Record<string, unknown>[];
  readonly dataDir?: string;
  readonly clock?: Clock;
  /** Merged into the `usage:` key (a PostgreSQL store, say). */
  readonly usage?: Record<string, unknown>;
  /** Set up after the budgets plugin. */
  readonly plugins?: readonly PluginDefinition[];
}

export async function startGateway(setup: GatewaySetup): Promise<TestGateway> {
  return startTestGateway({
    config: {
      endpoints: setup.endpoints ?? [chat('chat')],
      usage: { data_dir: setup.dataDir ?? dataDir(), prices: PRICES, flush_interval_ms: 50, ...setup.usage },
      budgets: setup.budgets,
    },
    providers: [mock],
    plugins: [{ definition: testKeys }, { definition: usage }, { definition: budgets }, ...(setup.plugins ?? []).map((definition) => ({ definition }))],
    discover: false,
    ...(setup.clock ? { clock: setup.clock } : {}),
  });
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  json(): Record<string, any>;
}

export async function post(url: string, body: Record<string, unknown>, key = 'sk-alpha'): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text, json: () => JSON.parse(text) as Record<string, any> };
}

export function ask(model: string, text = 'Hello there', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: text }], max_tokens: 10, ...extra };
}

export async function budgetsOf(gw: TestGateway): Promise<Record<string, any>[]> {
  const response = await fetch(`${gw.url}/api/budgets`);
  return ((await response.json()) as { budgets: Record<string, any>[] }).budgets;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export function uniquePrefix(): string {
  return `gatehouse-test:budgets:${randomBytes(4).toString('hex')}:`;
}

/** A webhook receiver: answers each POST with the next status of `statuses` (then 200), keeps the bodies. */
export class WebhookServer {
  readonly hits: { status: number; body: Record<string, any>; headers: http.IncomingHttpHeaders }[] = [];
  private readonly server: http.Server;

  private constructor(private readonly statuses: number[]) {
    this.server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        const status = this.statuses.shift() ?? 200;
        this.hits.push({ status, body: JSON.parse(text) as Record<string, any>, headers: req.headers });
        res.writeHead(status).end();
      });
    });
  }

  static async start(statuses: number[] = []): Promise<WebhookServer> {
    const hook = new WebhookServer(statuses);
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    return hook;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}/hooks/budget-token-7f3e`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

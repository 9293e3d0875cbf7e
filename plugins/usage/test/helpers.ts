// Shared test fixtures: real gateways on 127.0.0.1 with the mock provider, a throwaway SQLite
// directory or PostgreSQL schema per run, a TCP proxy to cut PostgreSQL off, and the
// independent computations (percentiles, cost) the summaries are checked against.
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { createError, definePlugin, defineProvider, type PluginDefinition, type ProviderDefinition } from '@gatehousejs/core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage, { type UsageRecord } from '../src/index.js';
import { dropSchemas, schemaName as sharedSchemaName, tempDir as sharedTempDir, TEST_DATABASE_URL, withPg } from '../src/testing.js';

export const PG_URL = TEST_DATABASE_URL;

/** A provider secret, a caller's key and the provider that reports no usage (estimates). */
export const PROVIDER_SECRET = 'prov-secret-7d1e5c0a9b';
export const CALLER_KEYS: Readonly<Record<string, string>> = { 'sk-caller-alpha-000111222': 'key-alpha', 'sk-caller-beta-333444555': 'key-beta' };

export const silent: ProviderDefinition = defineProvider<{ api_key?: string }>({
  id: 'silent',
  apiVersion: 1,
  secretOptions: ['api_key'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: { api_key: { type: 'string' } } },
  create: (_options, services) => ({
    async chat(request) {
      const last = request.messages.at(-1);
      const text = `echo: ${typeof last?.content === 'string' ? last.content : ''}`;
      return {
        id: 'silent-1',
        object: 'chat.completion' as const,
        created: 1,
        model: services.model,
        choices: [{ index: 0, message: { role: 'assistant' as const, content: text }, finish_reason: 'stop' as const }],
      };
    },
    async *chatStream() {
      const base = { id: 'silent-s', object: 'chat.completion.chunk' as const, created: 1, model: services.model };
      for (const piece of ['one ', 'two ', 'three']) yield { ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] };
      yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' as const }] };
    },
  }),
});

/** Accepts `authorization: Bearer <one of CALLER_KEYS>`; the principal is the key's id. */
export const testAuth: PluginDefinition = definePlugin({
  id: 'test-auth',
  apiVersion: 1,
  setup(api) {
    api.hooks.authenticate.tap(async (ctx) => {
      const header = ctx.headers.authorization;
      const token = typeof header === 'string' ? header.replace(/^Bearer /, '') : '';
      const id = CALLER_KEYS[token];
      if (!id) throw createError('GW_ERR_UNAUTHENTICATED', 'unknown key');
      return { id };
    });
    api.hooks.rateLimit.tap(async (ctx) => (ctx.headers['x-test-deny'] === '1' ? { retryAfter: 3, message: 'test denial' } : undefined));
  },
});

export const ENDPOINTS = [
  { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini' } },
  { name: 'chat-b', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'claude-3-5-haiku' } },
  { name: 'comp', endpoint_type: 'llm/v1/completions', model: { provider: 'mock', name: 'gpt-3.5-turbo-instruct' } },
  { name: 'emb', endpoint_type: 'llm/v1/embeddings', model: { provider: 'mock', name: 'text-embedding-3-small' } },
  { name: 'quiet', endpoint_type: 'llm/v1/chat', model: { provider: 'silent', name: 'silent-1', config: { api_key: PROVIDER_SECRET } } },
  { name: 'slow', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini', config: { chunk_delay_ms: 15, latency_ms: 20 } } },
];
export const ROUTES = [{ name: 'chat-route', task_type: 'llm/v1/chat', destinations: [{ name: 'chat-b', traffic_percentage: 100 }], routing_strategy: 'TRAFFIC_SPLIT' }];

/** Large test prices (USD per million tokens) so that a few mock tokens cost measurable money. */
export const TEST_PRICES = {
  'mock/gpt-4o-mini': { input: 1500, output: 6000, cached_input: 750 },
  'mock/claude-3-5-haiku': { input: 800, output: 4000 },
  'text-embedding-3-small': { input: 20, output: 0 },
  'silent/silent-1': { input: 1000, output: 2000 },
} as const;

export interface GatewayOptions {
  readonly usage: Record<string, unknown>;
  readonly auth?: boolean;
  readonly extraEndpoints?: readonly Record<string, unknown>[];
}

export async function startUsageGateway(options: GatewayOptions): Promise<TestGateway> {
  return startTestGateway({
    config: { endpoints: [...ENDPOINTS, ...(options.extraEndpoints ?? [])], routes: ROUTES, usage: options.usage },
    providers: [mock, silent],
    plugins: [...(options.auth === false ? [] : [{ definition: testAuth }]), { definition: usage }],
    discover: false,
  });
}

export const tempDir = () => sharedTempDir('usage');
export const schemaName = () => sharedSchemaName('usage');
export { dropSchemas, withPg };

export async function pgCount(schema: string): Promise<number> {
  return withPg(async (client) => {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${schema}".usage_records`);
    return rows[0].n as number;
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll until `check` returns true; fail with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** A TCP proxy the test controls: `down()` cuts every connection and refuses new ones until `up()`. */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private isDown = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.isDown) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    const url = new URL(PG_URL);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }

  down(): void {
    this.isDown = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  up(): void {
    this.isDown = false;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function pgTarget(): { host: string; port: number } {
  const url = new URL(PG_URL);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

// ---- traffic ----

export interface Call {
  readonly id: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

const KEY_A = Object.keys(CALLER_KEYS)[0]!;
const KEY_B = Object.keys(CALLER_KEYS)[1]!;

const chat = (model: string, text: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: text }], ...extra });

/** The same deterministic mix every time: streams, every endpoint type, and every kind of error. */
export function trafficMix(): Call[] {
  const calls: Call[] = [];
  const add = (path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    calls.push({ id: `r-${String(calls.length).padStart(3, '0')}`, path, body, headers: { authorization: `Bearer ${KEY_A}`, ...headers } });
  for (let i = 0; i < 6; i++) {
    add('/v1/chat/completions', chat('chat', `hello number ${i} ${'word '.repeat(i)}`), { 'x-gatehouse-metadata': JSON.stringify({ user: `user-${i % 3}`, tags: ['batch', `t${i % 2}`] }) });
    add('/v1/chat/completions', chat('chat', `stream please ${i}`, { stream: true }), { authorization: `Bearer ${KEY_B}` });
  }
  add('/v1/chat/completions', chat('chat-b', 'to the other model'));
  add('/v1/chat/completions', chat('chat-route', 'through a route', { stream: true, stream_options: { include_usage: true } }));
  add('/v1/completions', { model: 'comp', prompt: 'complete this sentence for me' });
  add('/v1/completions', { model: 'comp', prompt: 'stream this completion', stream: true });
  add('/v1/embeddings', { model: 'emb', input: ['embed these four words', 'and these'] });
  add('/v1/chat/completions', chat('quiet', 'no usage from this provider'));
  add('/v1/chat/completions', chat('quiet', 'no usage in this stream', { stream: true }));
  add('/endpoints/chat/invocations', { messages: [{ role: 'user', content: 'mlflow style' }] });
  // errors: upstream 5xx, upstream 429, upstream 4xx, mid-stream failure, unknown endpoint, plugin 429, no key, bad body
  add('/v1/chat/completions', chat('chat', 'fail please', { mock: { status: 503 } }));
  add('/v1/chat/completions', chat('chat-b', 'slow down', { mock: { status: 429 } }));
  add('/v1/chat/completions', chat('chat', 'bad request upstream', { mock: { status: 400 } }));
  add('/v1/chat/completions', chat('chat', 'break the stream midway now', { stream: true, mock: { fail_after_chunks: 2 } }));
  add('/v1/chat/completions', chat('no-such-endpoint', 'where am I'));
  add('/v1/chat/completions', chat('chat', 'denied by the plugin'), { 'x-test-deny': '1' });
  add('/v1/chat/completions', chat('chat', 'who am I'), { authorization: 'Bearer sk-not-a-known-key-999' });
  add('/v1/chat/completions', { model: 'chat', messages: 'not a list' });
  add('/v1/chat/completions', chat('chat', 'bad metadata'), { 'x-gatehouse-metadata': '{"user": 5, "extra": true}' });
  return calls;
}

export interface Reply {
  readonly id: string;
  readonly status: number;
  readonly ms: number;
  readonly text: string;
}

export async function send(base: string, call: Call): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(`${base}${call.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': call.id, ...call.headers },
    body: JSON.stringify(call.body),
  });
  const text = await res.text();
  return { id: call.id, status: res.status, ms: performance.now() - started, text };
}

export async function sendAll(base: string, calls: readonly Call[]): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const call of calls) replies.push(await send(base, call));
  return replies;
}

export async function getJson<T = Record<string, unknown>>(base: string, pathAndQuery: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${pathAndQuery}`);
  return { status: res.status, body: (await res.json()) as T };
}

export type ApiRecord = Record<string, unknown> & {
  id: string;
  request_id: string;
  time: string;
  endpoint: string | null;
  provider: string | null;
  model: string | null;
  key: string | null;
  user: string | null;
  status: number;
  latency_ms: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  cached_tokens: number | null;
  cost_usd: number | null;
};

/** Every record through the HTTP API, page by page. */
export async function allRecords(base: string, query = '', pageSize = 7): Promise<ApiRecord[]> {
  const out: ApiRecord[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `?limit=${pageSize}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
    const { status, body } = await getJson<{ records: ApiRecord[]; next_cursor: string | null }>(base, `/api/usage/requests${q}`);
    if (status !== 200) throw new Error(`GET /api/usage/requests${q}: ${status} ${JSON.stringify(body)}`);
    out.push(...body.records);
    cursor = body.next_cursor;
  } while (cursor);
  return out;
}

// ---- independent computations ----

/** Nearest rank, written here again on purpose: the test does not trust the plugin's own. */
export function expectedPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let rank = Math.ceil(p * sorted.length);
  if (rank < 1) rank = 1;
  return sorted[rank - 1]!;
}

type PriceTable = Readonly<Record<string, { input: number; output: number; cached_input?: number }>>;

export function expectedCostUsd(r: ApiRecord, prices: PriceTable): number | null {
  if (r.provider === null || r.model === null || r.prompt_tokens === null) return null;
  const price = prices[`${r.provider}/${r.model}`] ?? prices[r.model];
  if (!price) return null;
  const cached = r.cached_tokens ?? 0;
  return ((r.prompt_tokens - cached) * price.input + cached * (price.cached_input ?? price.input) + (r.completion_tokens ?? 0) * price.output) / 1e6;
}

export function groupKey(r: ApiRecord, groupBy: string): string | null {
  if (groupBy === 'none') return null;
  const bucket = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[groupBy];
  if (bucket) return new Date(Math.floor(Date.parse(r.time) / bucket) * bucket).toISOString();
  return (groupBy === 'key' ? r.key : (r as Record<string, unknown>)[groupBy]) as string | null;
}

/** A stored record with every field set; tests override what they need. */
export function synthetic(fields: Partial<UsageRecord>): UsageRecord {
  return {
    id: randomUUID(),
    request_id: randomUUID(),
    ts: Date.now(),
    surface: 'openai',
    route: 'synthetic',
    endpoint: 'synthetic',
    endpoint_type: 'llm/v1/chat',
    provider: 'mock',
    model: 'm',
    key: null,
    user: null,
    tags: null,
    stream: false,
    status: 200,
    error_type: null,
    error_code: null,
    latency_ms: 1,
    upstream_ms: null,
    overhead_ms: null,
    ttft_ms: null,
    prompt_tokens: 1,
    completion_tokens: 1,
    total_tokens: 2,
    cached_tokens: null,
    tokens_estimated: false,
    cost_nusd: null,
    request_body: null,
    response_body: null,
    ...fields,
  };
}

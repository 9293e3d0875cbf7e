// The same traffic through a gateway on SQLite (a real file) and one on PostgreSQL (the real
// server): the same records, the same summaries, and both checked against values computed here
// from the raw records.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestGateway } from '@gatehousejs/core/testing';
import { PostgresStore, SqliteStore, type UsageRecord, type UsageStore } from '../src/index.js';
import { GROUP_BY } from '../src/query.js';
import { silentLogger } from '@gatehousejs/core/testing';
import {
  allRecords,
  dropSchemas,
  expectedCostUsd,
  expectedPercentile,
  getJson,
  groupKey,
  PG_URL,
  PROVIDER_SECRET,
  schemaName,
  sendAll,
  startUsageGateway,
  synthetic,
  tempDir,
  TEST_PRICES,
  trafficMix,
  waitFor,
  type ApiRecord,
  type Reply,
} from './helpers.js';

// Fields that depend on timing or on the run: compared for presence only.
const TIMED = ['id', 'time', 'latency_ms', 'upstream_ms', 'overhead_ms', 'ttft_ms'];

function comparable(r: ApiRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = TIMED.includes(k) ? v !== null : v;
  return out;
}

function byRequestId(records: ApiRecord[]): ApiRecord[] {
  return [...records].sort((a, b) => (a.request_id < b.request_id ? -1 : 1));
}

interface ExpectedGroup {
  requests: number;
  errors: number;
  error_rate: number;
  latency_ms: { p50: number; p90: number; p99: number };
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  priced_requests: number;
}

function expectedSummary(records: readonly ApiRecord[], groupBy: string): Map<string | null, ExpectedGroup> {
  const groups = new Map<string | null, ApiRecord[]>();
  for (const r of records) {
    const key = groupKey(r, groupBy);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out = new Map<string | null, ExpectedGroup>();
  for (const [key, rs] of groups) {
    const latencies = rs.map((r) => r.latency_ms);
    const costs = rs.map((r) => expectedCostUsd(r, TEST_PRICES)).filter((c): c is number => c !== null);
    const errors = rs.filter((r) => r.status >= 400).length;
    out.set(key, {
      requests: rs.length,
      errors,
      error_rate: errors / rs.length,
      latency_ms: { p50: expectedPercentile(latencies, 0.5), p90: expectedPercentile(latencies, 0.9), p99: expectedPercentile(latencies, 0.99) },
      prompt_tokens: rs.reduce((s, r) => s + (r.prompt_tokens ?? 0), 0),
      completion_tokens: rs.reduce((s, r) => s + (r.completion_tokens ?? 0), 0),
      total_tokens: rs.reduce((s, r) => s + (r.total_tokens ?? 0), 0),
      cost_usd: costs.reduce((s, c) => s + c, 0),
      priced_requests: costs.length,
    });
  }
  return out;
}

type Group = ExpectedGroup & { group: string | null };

function checkAgainstIndependent(groups: readonly Group[], records: readonly ApiRecord[], groupBy: string): void {
  const expected = expectedSummary(records, groupBy);
  expect(groups.map((g) => g.group).sort(), `groups by ${groupBy}`).to.deep.equal([...expected.keys()].sort());
  for (const g of groups) {
    const e = expected.get(g.group)!;
    const { cost_usd, ...rest } = g;
    const { cost_usd: expectedCost, ...expectedRest } = e;
    expect({ ...rest, group: undefined }, `${groupBy}=${g.group}`).to.deep.equal({ ...expectedRest, group: undefined });
    // Each record's cost is rounded to a nano-dollar in the store.
    expect(cost_usd, `cost of ${groupBy}=${g.group}`).to.be.closeTo(expectedCost, 1e-9 * e.requests + 1e-12);
  }
}

const config = (extra: Record<string, unknown>) => ({ flush_interval_ms: 50, prices: TEST_PRICES, ...extra });

describe('usage records and summaries: SQLite and PostgreSQL agree', function () {
  const calls = trafficMix();
  const tmp = tempDir();
  const schemas = [schemaName(), schemaName(), schemaName()];
  let onSqlite: TestGateway;
  let onPg: TestGateway;
  let repliesA: Reply[];
  let repliesB: Reply[];
  let recordsA: ApiRecord[];
  let recordsB: ApiRecord[];
  const extraStores: UsageStore[] = [];

  before(async function () {
    this.timeout(60_000);
    onSqlite = await startUsageGateway({ usage: config({ data_dir: tmp.dir }) });
    onPg = await startUsageGateway({ usage: config({ store: 'postgres', database_url: PG_URL, schema: schemas[0] }) });
    repliesA = await sendAll(onSqlite.url, calls);
    repliesB = await sendAll(onPg.url, calls);
    for (const gw of [onSqlite, onPg]) {
      await waitFor('every record stored', async () => (await allRecords(gw.url, '', 1000)).length === calls.length);
    }
    recordsA = byRequestId(await allRecords(onSqlite.url));
    recordsB = byRequestId(await allRecords(onPg.url));
  });

  after(async function () {
    this.timeout(30_000);
    await onSqlite?.close();
    await onPg?.close();
    for (const store of extraStores) await store.close();
    await dropSchemas(...schemas);
    tmp.remove();
  });

  it('answers the traffic as expected (the same on both gateways)', () => {
    expect(repliesA.map((r) => r.status)).to.deep.equal(repliesB.map((r) => r.status));
    const failed = Object.fromEntries(repliesA.filter((r) => r.status !== 200).map((r) => [r.id, r.status]));
    // r-023 fails mid-stream: its 200 was already sent, the failure goes out as an error event.
    expect(failed).to.deep.equal({ 'r-020': 502, 'r-021': 429, 'r-022': 400, 'r-024': 404, 'r-025': 429, 'r-026': 401, 'r-027': 400 });
    expect(repliesA.find((r) => r.id === 'r-023')!.text).to.contain('"error"');
  });

  it('stores one record per request, streams and errors included, in a file under the data directory', async () => {
    expect(recordsA.map((r) => r.request_id)).to.deep.equal(calls.map((c) => c.id));
    expect(existsSync(path.join(tmp.dir, 'usage.sqlite'))).to.equal(true);
    const sqlite = new SqliteStore(path.join(tmp.dir, 'usage.sqlite'));
    extraStores.push(sqlite);
    const page = await sqlite.list({ limit: 1000 });
    expect(page.records).to.have.length(calls.length);
  });

  it('holds the same records in SQLite and PostgreSQL', () => {
    expect(recordsB.map(comparable)).to.deep.equal(recordsA.map(comparable));
  });

  it('records what each request did', () => {
    const r = Object.fromEntries(recordsA.map((x) => [x.request_id, x]));
    // A plain chat: target, caller key, client metadata, tokens reported by the provider, cost.
    expect(r['r-000']).to.include({ surface: 'openai', route: 'chat', endpoint: 'chat', provider: 'mock', model: 'gpt-4o-mini', key: 'key-alpha', user: 'user-0', stream: false, status: 200, tokens_estimated: false });
    expect(r['r-000']!.tags).to.deep.equal(['batch', 't0']);
    expect(r['r-000']!.prompt_tokens).to.be.greaterThan(0);
    expect(r['r-000']!.total_tokens).to.equal(r['r-000']!.prompt_tokens! + r['r-000']!.completion_tokens!);
    expect(r['r-000']!.cost_usd).to.be.closeTo(expectedCostUsd(r['r-000']!, TEST_PRICES)!, 1e-9);
    expect(r['r-000']!.ttft_ms).to.equal(null);
    expect(r['r-000']!.upstream_ms).to.be.a('number');
    expect((r['r-000']!.overhead_ms as number) + (r['r-000']!.upstream_ms as number)).to.be.closeTo(r['r-000']!.latency_ms, 0.002);
    // A stream: time to first token, usage asked of the upstream although the client did not.
    expect(r['r-001']).to.include({ stream: true, status: 200, key: 'key-beta', tokens_estimated: false });
    expect(r['r-001']!.ttft_ms).to.be.a('number').and.to.be.at.most(r['r-001']!.latency_ms);
    expect(r['r-001']!.completion_tokens).to.be.greaterThan(0);
    // A route: the name asked for and the endpoint it picked.
    expect(r['r-013']).to.include({ route: 'chat-route', endpoint: 'chat-b', model: 'claude-3-5-haiku', stream: true });
    // Embeddings, completions and MLflow's invocations route.
    expect(r['r-016']).to.include({ endpoint: 'emb', completion_tokens: 0, status: 200 });
    expect(r['r-014']).to.include({ endpoint: 'comp', stream: false });
    expect(r['r-015']).to.include({ endpoint: 'comp', stream: true });
    expect(r['r-019']).to.include({ surface: 'mlflow', endpoint: 'chat', status: 200 });
    // No usage from the provider: estimated, and marked so.
    // About four characters a token: 'no usage from this provider' (27) and 'echo: no usage from this provider' (33);
    // the stream: 'no usage in this stream' (23) and 'one two three' (13).
    expect(r['r-017']).to.include({ endpoint: 'quiet', tokens_estimated: true, status: 200, prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 });
    expect(r['r-018']).to.include({ endpoint: 'quiet', tokens_estimated: true, status: 200, prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
    // Errors keep their status and code.
    expect(r['r-020']).to.include({ status: 502, error_code: 'GW_ERR_UPSTREAM_ERROR', error_type: 'upstream_error' });
    expect(r['r-021']).to.include({ status: 429, error_code: 'GW_ERR_RATE_LIMITED' });
    expect(r['r-022']).to.include({ status: 400, error_code: 'GW_ERR_UPSTREAM_ERROR' });
    expect(r['r-023']).to.include({ stream: true, status: 502, error_code: 'GW_ERR_UPSTREAM_ERROR', tokens_estimated: true });
    expect(r['r-024']).to.include({ route: 'no-such-endpoint', endpoint: null, provider: null, status: 404, error_code: 'GW_ERR_ENDPOINT_NOT_FOUND', prompt_tokens: null, cost_usd: null });
    expect(r['r-025']).to.include({ status: 429, error_code: 'GW_ERR_RATE_LIMITED', key: 'key-alpha', prompt_tokens: null });
    expect(r['r-026']).to.include({ status: 401, key: null });
    expect(r['r-027']).to.include({ status: 400, error_code: 'GW_ERR_BAD_REQUEST' });
    // Invalid metadata is ignored, not trusted and not fatal.
    expect(r['r-028']).to.include({ status: 200, user: null, tags: null });
  });

  it('never stores a credential, a header or a body (bodies are off by default)', () => {
    const text = JSON.stringify([recordsA, recordsB]);
    for (const secret of [PROVIDER_SECRET, 'sk-caller-alpha-000111222', 'sk-caller-beta-333444555', 'sk-not-a-known-key-999']) expect(text).to.not.contain(secret);
    expect(text).to.not.contain('hello number');
    expect(text).to.not.contain('authorization');
  });

  it('filters by endpoint, provider, model, key, user, status and time, on both stores', async () => {
    for (const [gw, records] of [[onSqlite, recordsA], [onPg, recordsB]] as const) {
      // Each gateway served the traffic at its own time.
      const mid = records[Math.floor(records.length / 2)]!.time;
      const cases: [string, (r: ApiRecord) => boolean][] = [
        ['endpoint=chat', (r) => r.endpoint === 'chat'],
        ['provider=silent', (r) => r.provider === 'silent'],
        ['model=claude-3-5-haiku', (r) => r.model === 'claude-3-5-haiku'],
        ['key=key-beta', (r) => r.key === 'key-beta'],
        ['user=user-1', (r) => r.user === 'user-1'],
        ['status=429', (r) => r.status === 429],
        ['status=4xx', (r) => r.status >= 400 && r.status < 500],
        ['status=error', (r) => r.status >= 400],
        ['status=ok', (r) => r.status < 400],
        [`from=${encodeURIComponent(mid)}`, (r) => r.time >= mid],
        [`to=${encodeURIComponent(mid)}&endpoint=chat`, (r) => r.time < mid && r.endpoint === 'chat'],
        [`from=${Date.parse(mid)}&status=ok`, (r) => r.time >= mid && r.status < 400],
      ];
      for (const [query, keep] of cases) {
        const expected = records.filter(keep).map((r) => r.request_id).sort();
        expect(expected.length, query).to.be.greaterThan(0);
        const got = (await allRecords(gw.url, query, 5)).map((r) => r.request_id).sort();
        expect(got, `${query} on ${gw === onPg ? 'postgres' : 'sqlite'}`).to.deep.equal(expected);
      }
    }
  });

  it('pages newest first, every record once', async () => {
    for (const gw of [onSqlite, onPg]) {
      const pages = await allRecords(gw.url, '', 4);
      expect(new Set(pages.map((r) => r.id)).size).to.equal(calls.length);
      const times = pages.map((r) => r.time);
      expect(times).to.deep.equal([...times].sort().reverse());
    }
  });

  it('summarises the same traffic the same way on both gateways (all but latency)', async () => {
    for (const groupBy of ['endpoint', 'model', 'provider', 'key', 'user']) {
      const a = (await getJson<{ groups: Group[] }>(onSqlite.url, `/api/usage/summary?group_by=${groupBy}`)).body.groups;
      const b = (await getJson<{ groups: Group[] }>(onPg.url, `/api/usage/summary?group_by=${groupBy}`)).body.groups;
      const strip = (gs: Group[]) => gs.map(({ latency_ms: _l, ...rest }) => rest);
      expect(strip(b), groupBy).to.deep.equal(strip(a));
      checkAgainstIndependent(a, recordsA, groupBy);
      checkAgainstIndependent(b, recordsB, groupBy);
    }
  });

  it('gives identical summaries, percentiles included, for the same records in both stores', async () => {
    const sqlite = new SqliteStore(path.join(tmp.dir, 'usage.sqlite'));
    const copy = new PostgresStore(PG_URL, schemas[1]!, silentLogger());
    extraStores.push(sqlite, copy);
    const raw = (await sqlite.list({ limit: 1000 })).records;
    await copy.insert(raw);
    await copy.insert(raw.slice(0, 5)); // a retried batch is not counted twice
    const filters = [{}, { key: 'key-alpha' }, { status: { min: 400, max: 599 } }, { endpoint: 'chat', from: raw.at(-1)!.ts + 1 }];
    for (const groupBy of GROUP_BY) {
      for (const f of filters) {
        const a = await sqlite.summary({ groupBy, ...f });
        const b = await copy.summary({ groupBy, ...f });
        expect(b, `${groupBy} ${JSON.stringify(f)}`).to.deep.equal(a);
      }
      const viaHttp = (await getJson<{ groups: Group[] }>(onSqlite.url, `/api/usage/summary?group_by=${groupBy}`)).body.groups;
      checkAgainstIndependent(viaHttp, recordsA, groupBy);
    }
  });

  it('computes the same nearest-rank percentiles as PostgreSQL percentile_disc, for any group size', async () => {
    const sqlite = new SqliteStore(path.join(tmp.dir, 'synthetic.sqlite'));
    const postgres = new PostgresStore(PG_URL, schemas[2]!, silentLogger());
    extraStores.push(sqlite, postgres);
    const sizes = [1, 2, 3, 4, 7, 10, 11, 29, 99, 100, 101, 257, 1000];
    const records: UsageRecord[] = [];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const n of sizes) {
      for (let i = 0; i < n; i++) {
        // Ties on purpose: a tenth of the values repeat.
        const latency = i % 10 === 9 ? 100 : Math.round(random() * 5_000_000) / 1000;
        records.push(synthetic({ endpoint: `n${n}`, latency_ms: latency, ts: 1_700_000_000_000 + i * 7_919 }));
      }
    }
    for (let i = 0; i < records.length; i += 500) {
      await sqlite.insert(records.slice(i, i + 500));
      await postgres.insert(records.slice(i, i + 500));
    }
    for (const groupBy of ['endpoint', 'minute', 'hour'] as const) {
      const a = await sqlite.summary({ groupBy });
      const b = await postgres.summary({ groupBy });
      expect(b, groupBy).to.deep.equal(a);
    }
    const byEndpoint = await sqlite.summary({ groupBy: 'endpoint' });
    for (const n of sizes) {
      const latencies = records.filter((r) => r.endpoint === `n${n}`).map((r) => r.latency_ms);
      const g = byEndpoint.find((x) => x.group === `n${n}`)!;
      expect(g.latency_ms, `n=${n}`).to.deep.equal({ p50: expectedPercentile(latencies, 0.5), p90: expectedPercentile(latencies, 0.9), p99: expectedPercentile(latencies, 0.99) });
    }
  });
});

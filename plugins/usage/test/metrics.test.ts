// The metrics' cached series (series.ts) against plain prom-client: the same records give the
// same /metrics text, line for line, whatever the label sets, values and resets.
import { expect } from 'chai';
import { Counter, Histogram, Registry } from 'prom-client';
import type { RequestContext } from '@gatehousejs/core';
import { UsageMetrics } from '../src/metrics.js';
import { MAX_CACHED_SERIES } from '../src/series.js';
import type { UsageRecord } from '../src/record.js';
import { synthetic } from './helpers.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** The metrics as they were written before the cache: prom-client's inc/observe with label objects. */
function reference() {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: 'gatehouse_requests_total', help: 'Requests answered, by endpoint, provider and HTTP status.', labelNames: ['endpoint', 'provider', 'status'], registers });
  const latency = new Histogram({ name: 'gatehouse_request_duration_seconds', help: 'Total request latency, from arrival to the end of the reply.', labelNames: ['endpoint', 'provider'], buckets: BUCKETS, registers });
  const upstream = new Histogram({ name: 'gatehouse_upstream_duration_seconds', help: 'Time spent in the upstream provider call.', labelNames: ['endpoint', 'provider'], buckets: BUCKETS, registers });
  const ttft = new Histogram({ name: 'gatehouse_time_to_first_token_seconds', help: 'Streams: time from arrival to the first chunk sent.', labelNames: ['endpoint', 'provider'], buckets: BUCKETS, registers });
  const tokens = new Counter({ name: 'gatehouse_tokens_total', help: 'Tokens, by kind (prompt or completion).', labelNames: ['endpoint', 'provider', 'model', 'kind'], registers });
  const cost = new Counter({ name: 'gatehouse_cost_usd_total', help: 'Cost in USD from the price table (priced models only).', labelNames: ['endpoint', 'provider', 'model'], registers });
  const upstreamErrors = new Counter({ name: 'gatehouse_upstream_errors_total', help: 'Failed upstream calls, by error code.', labelNames: ['endpoint', 'provider', 'code'], registers });
  const rateLimited = new Counter({ name: 'gatehouse_rate_limited_total', help: 'Requests denied with 429 (by a rate-limit plugin or the provider).', labelNames: ['endpoint', 'provider'], registers });
  const observe = (ctx: RequestContext, record: UsageRecord) => {
    const endpoint = record.endpoint ?? '';
    const provider = record.provider ?? '';
    requests.inc({ endpoint, provider, status: String(record.status) });
    latency.observe({ endpoint, provider }, record.latency_ms / 1000);
    if (record.upstream_ms !== null) upstream.observe({ endpoint, provider }, record.upstream_ms / 1000);
    if (record.ttft_ms !== null) ttft.observe({ endpoint, provider }, record.ttft_ms / 1000);
    const model = record.model ?? '';
    if (record.prompt_tokens) tokens.inc({ endpoint, provider, model, kind: 'prompt' }, record.prompt_tokens);
    if (record.completion_tokens) tokens.inc({ endpoint, provider, model, kind: 'completion' }, record.completion_tokens);
    if (record.cost_nusd) cost.inc({ endpoint, provider, model }, record.cost_nusd / 1e9);
    const code = ctx.error?.code;
    if (code?.startsWith('GW_ERR_UPSTREAM_')) upstreamErrors.inc({ endpoint, provider, code });
    if (record.status === 429) rateLimited.inc({ endpoint, provider });
  };
  return { registry, observe };
}

const FAMILIES = new Set([
  'gatehouse_requests_total',
  'gatehouse_request_duration_seconds',
  'gatehouse_upstream_duration_seconds',
  'gatehouse_time_to_first_token_seconds',
  'gatehouse_tokens_total',
  'gatehouse_cost_usd_total',
  'gatehouse_upstream_errors_total',
  'gatehouse_rate_limited_total',
]);

/** The text of the per-request families only (the default process metrics differ by the moment). */
async function families(registry: Registry): Promise<string> {
  const texts = await Promise.all(registry.getMetricsAsArray().filter((m) => FAMILIES.has(m.name)).map((m) => registry.getSingleMetricAsString(m.name)));
  return texts.join('\n');
}

const ctxWith = (code?: string) => ({ error: code ? { code } : undefined }) as unknown as RequestContext;

function records(count: number, seed: number): { ctx: RequestContext; record: UsageRecord }[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = next();
    const status = [200, 200, 200, 429, 502, 504, 400][Math.floor(next() * 7)]!;
    out.push({
      ctx: ctxWith(status >= 502 ? (status === 502 ? 'GW_ERR_UPSTREAM_BAD_RESPONSE' : 'GW_ERR_UPSTREAM_TIMEOUT') : undefined),
      record: synthetic({
        endpoint: ['chat', 'embeddings', 'chat-stream', null][Math.floor(next() * 4)]!,
        provider: ['openai', 'anthropic'][Math.floor(next() * 2)]!,
        model: ['gpt-4o-mini', 'claude', null][Math.floor(next() * 3)]!,
        status,
        latency_ms: r * 400_000,
        upstream_ms: next() < 0.2 ? null : next() * 1000,
        ttft_ms: next() < 0.5 ? null : next() * 50,
        prompt_tokens: Math.floor(next() * 3) * 17,
        completion_tokens: Math.floor(next() * 3) * 5,
        cost_nusd: next() < 0.3 ? null : next() * 123_456.789,
      }),
    });
  }
  return out;
}

describe('metrics: cached series', () => {
  it('give the same /metrics text as plain prom-client, values, label sets and order alike', async () => {
    const metrics = new UsageMetrics(() => 0);
    const ref = reference();
    for (const { ctx, record } of records(3000, 7)) {
      metrics.observe(ctx, record);
      ref.observe(ctx, record);
    }
    const text = await families(metrics.registry);
    expect(text).to.contain('gatehouse_requests_total{endpoint="chat",provider="openai",status="200"}');
    expect(text).to.contain('gatehouse_request_duration_seconds_bucket{le="+Inf",endpoint="chat",provider="openai"}');
    expect(text).to.equal(await families(ref.registry));
  });

  it('stay exact past a reset of the registry, and past the cache bound', async () => {
    const metrics = new UsageMetrics(() => 0);
    const ref = reference();
    const both = (ctx: RequestContext, record: UsageRecord) => {
      metrics.observe(ctx, record);
      ref.observe(ctx, record);
    };
    for (const { ctx, record } of records(500, 11)) both(ctx, record);
    metrics.registry.resetMetrics();
    ref.registry.resetMetrics();
    for (const { ctx, record } of records(500, 13)) both(ctx, record);
    for (let i = 0; i < MAX_CACHED_SERIES + 50; i++) both(ctxWith(), synthetic({ endpoint: `e${i % (MAX_CACHED_SERIES + 25)}`, latency_ms: i, cost_nusd: i * 10 }));
    expect(await families(metrics.registry)).to.equal(await families(ref.registry));
  });

  it('reject what prom-client rejects, with its error', () => {
    const metrics = new UsageMetrics(() => 0);
    const ref = reference();
    for (const { ctx, record } of records(10, 3)) {
      metrics.observe(ctx, record);
      ref.observe(ctx, record);
    }
    const bad = synthetic({ endpoint: 'synthetic', latency_ms: Number.NaN });
    metrics.observe(ctxWith(), synthetic({ endpoint: 'synthetic' })); // the series is cached: the bad value must not take the cached path
    expect(() => metrics.observe(ctxWith(), bad)).to.throw(TypeError, /Value is not a valid number/);
    expect(() => ref.observe(ctxWith(), bad)).to.throw(TypeError, /Value is not a valid number/);
    expect(() => metrics.observe(ctxWith(), synthetic({ endpoint: 'synthetic', prompt_tokens: -3 }))).to.throw(/not possible to decrease a counter/);
  });

  it('count requests in flight for the gauge', async () => {
    const metrics = new UsageMetrics(() => 0);
    expect(await metrics.registry.getSingleMetricAsString('gatehouse_requests_in_flight')).to.match(/^gatehouse_requests_in_flight 0$/m);
    metrics.requestStarted();
    metrics.requestStarted();
    metrics.requestEnded();
    expect(await metrics.registry.getSingleMetricAsString('gatehouse_requests_in_flight')).to.match(/^gatehouse_requests_in_flight 1$/m);
  });
});

describe('process metrics', () => {
  it("start only once metrics are on: a gateway with usage.metrics false runs none of prom-client's collectors", async () => {
    const { UsageTracker } = await import('../src/tracker.js');
    const { silentLogger } = await import('@gatehousejs/core/testing');
    const tracker = new UsageTracker({ log: silentLogger(), configDir: '/tmp', redact: (value) => value });
    tracker.configure({ enabled: false, metrics: false });
    expect(await tracker.metrics.registry.metrics()).to.not.contain('gatehouse_process_cpu_seconds_total');
    tracker.configure({ enabled: false, metrics: true });
    expect(await tracker.metrics.registry.metrics()).to.contain('gatehouse_process_cpu_seconds_total');
    tracker.configure({ enabled: false, metrics: true }); // a reload does not register them twice
    expect(await tracker.metrics.registry.metrics()).to.contain('gatehouse_nodejs_eventloop_lag_seconds');
    tracker.metrics.registry.clear();
  });
});

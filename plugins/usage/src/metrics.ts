// Prometheus metrics, in the plugin's own prom-client Registry (never the global one: two
// gateways in one process, or an embedding application, keep theirs apart). Labels are only
// configured names (endpoint, provider, model) and status codes: never a caller's input.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestContext } from '@gatehousejs/core';
import type { UsageRecord } from './record.js';

// LLM calls run from milliseconds (cache, errors) to minutes (long generations).
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class UsageMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'endpoint' | 'provider' | 'status'>;
  private readonly latency: Histogram<'endpoint' | 'provider'>;
  private readonly upstream: Histogram<'endpoint' | 'provider'>;
  private readonly ttft: Histogram<'endpoint' | 'provider'>;
  private readonly tokens: Counter<'endpoint' | 'provider' | 'model' | 'kind'>;
  private readonly cost: Counter<'endpoint' | 'provider' | 'model'>;
  private readonly inFlight: Gauge;
  private readonly upstreamErrors: Counter<'endpoint' | 'provider' | 'code'>;
  private readonly rateLimited: Counter<'endpoint' | 'provider'>;
  private readonly dropped: Counter;
  private readonly storeErrors: Counter;

  constructor(queueDepth: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
    this.requests = new Counter({ name: 'gatehouse_requests_total', help: 'Requests answered, by endpoint, provider and HTTP status.', labelNames: ['endpoint', 'provider', 'status'], registers });
    this.latency = new Histogram({ name: 'gatehouse_request_duration_seconds', help: 'Total request latency, from arrival to the end of the reply.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers });
    this.upstream = new Histogram({ name: 'gatehouse_upstream_duration_seconds', help: 'Time spent in the upstream provider call.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers });
    this.ttft = new Histogram({ name: 'gatehouse_time_to_first_token_seconds', help: 'Streams: time from arrival to the first chunk sent.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers });
    this.tokens = new Counter({ name: 'gatehouse_tokens_total', help: 'Tokens, by kind (prompt or completion).', labelNames: ['endpoint', 'provider', 'model', 'kind'], registers });
    this.cost = new Counter({ name: 'gatehouse_cost_usd_total', help: 'Cost in USD from the price table (priced models only).', labelNames: ['endpoint', 'provider', 'model'], registers });
    this.inFlight = new Gauge({ name: 'gatehouse_requests_in_flight', help: 'Requests in the pipeline now, streams included.', registers });
    this.upstreamErrors = new Counter({ name: 'gatehouse_upstream_errors_total', help: 'Failed upstream calls, by error code.', labelNames: ['endpoint', 'provider', 'code'], registers });
    this.rateLimited = new Counter({ name: 'gatehouse_rate_limited_total', help: 'Requests denied with 429 (by a rate-limit plugin or the provider).', labelNames: ['endpoint', 'provider'], registers });
    this.dropped = new Counter({ name: 'gatehouse_usage_records_dropped_total', help: 'Usage records dropped: queue full, or not written by shutdown.', registers });
    this.storeErrors = new Counter({ name: 'gatehouse_usage_store_errors_total', help: 'Failed usage store writes (the batch is retried).', registers });
    new Gauge({ name: 'gatehouse_usage_queue_depth', help: 'Usage records waiting to be written.', registers, collect() { this.set(queueDepth()); } });
  }

  requestStarted(): void {
    this.inFlight.inc();
  }

  requestEnded(): void {
    this.inFlight.dec();
  }

  observe(ctx: RequestContext, record: UsageRecord): void {
    const endpoint = record.endpoint ?? '';
    const provider = record.provider ?? '';
    this.requests.inc({ endpoint, provider, status: String(record.status) });
    this.latency.observe({ endpoint, provider }, record.latency_ms / 1000);
    if (record.upstream_ms !== null) this.upstream.observe({ endpoint, provider }, record.upstream_ms / 1000);
    if (record.ttft_ms !== null) this.ttft.observe({ endpoint, provider }, record.ttft_ms / 1000);
    const model = record.model ?? '';
    if (record.prompt_tokens) this.tokens.inc({ endpoint, provider, model, kind: 'prompt' }, record.prompt_tokens);
    if (record.completion_tokens) this.tokens.inc({ endpoint, provider, model, kind: 'completion' }, record.completion_tokens);
    if (record.cost_nusd) this.cost.inc({ endpoint, provider, model }, record.cost_nusd / 1e9);
    const code = ctx.error?.code;
    if (code?.startsWith('GW_ERR_UPSTREAM_')) this.upstreamErrors.inc({ endpoint, provider, code });
    if (record.status === 429) this.rateLimited.inc({ endpoint, provider });
  }

  recordsDropped(count: number): void {
    this.dropped.inc(count);
  }

  storeFailed(): void {
    this.storeErrors.inc();
  }
}

// Prometheus metrics, in the plugin's own prom-client Registry (never the global one: two
// gateways in one process, or an embedding application, keep theirs apart). Labels are only
// configured names (endpoint, provider, model) and status codes: never a caller's input.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestContext } from '@gatehousejs/core';
import type { UsageRecord } from './record.js';
import { CachedCounter, CachedHistogram } from './series.js';

// LLM calls run from milliseconds (cache, errors) to minutes (long generations).
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class UsageMetrics {
  readonly registry = new Registry();
  // The per-request metrics, updated through their cached series (series.ts).
  private readonly requests: CachedCounter<'endpoint' | 'provider' | 'status'>;
  private readonly latency: CachedHistogram<'endpoint' | 'provider'>;
  private readonly upstream: CachedHistogram<'endpoint' | 'provider'>;
  private readonly ttft: CachedHistogram<'endpoint' | 'provider'>;
  private readonly tokens: CachedCounter<'endpoint' | 'provider' | 'model' | 'kind'>;
  private readonly cost: CachedCounter<'endpoint' | 'provider' | 'model'>;
  /** Requests in flight, counted here and set on the gauge when it is collected (a scrape). */
  private inFlight = 0;
  private readonly upstreamErrors: CachedCounter<'endpoint' | 'provider' | 'code'>;
  private readonly rateLimited: CachedCounter<'endpoint' | 'provider'>;
  private readonly dropped: Counter;
  private readonly storeErrors: Counter;

  private processMetrics = false;

  constructor(queueDepth: () => number) {
    const registers = [this.registry];
    this.requests = new CachedCounter(new Counter({ name: 'gatehouse_requests_total', help: 'Requests answered, by endpoint, provider and HTTP status.', labelNames: ['endpoint', 'provider', 'status'], registers }));
    this.latency = new CachedHistogram(new Histogram({ name: 'gatehouse_request_duration_seconds', help: 'Total request latency, from arrival to the end of the reply.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers }));
    this.upstream = new CachedHistogram(new Histogram({ name: 'gatehouse_upstream_duration_seconds', help: 'Time spent in the upstream provider call.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers }));
    this.ttft = new CachedHistogram(new Histogram({ name: 'gatehouse_time_to_first_token_seconds', help: 'Streams: time from arrival to the first chunk sent.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers }));
    this.tokens = new CachedCounter(new Counter({ name: 'gatehouse_tokens_total', help: 'Tokens, by kind (prompt or completion).', labelNames: ['endpoint', 'provider', 'model', 'kind'], registers }));
    this.cost = new CachedCounter(new Counter({ name: 'gatehouse_cost_usd_total', help: 'Cost in USD from the price table (priced models only).', labelNames: ['endpoint', 'provider', 'model'], registers }));
    const inFlight = () => this.inFlight;
    new Gauge({ name: 'gatehouse_requests_in_flight', help: 'Requests in the pipeline now, streams included.', registers, collect() { this.set(inFlight()); } });
    this.upstreamErrors = new CachedCounter(new Counter({ name: 'gatehouse_upstream_errors_total', help: 'Failed upstream calls, by error code.', labelNames: ['endpoint', 'provider', 'code'], registers }));
    this.rateLimited = new CachedCounter(new Counter({ name: 'gatehouse_rate_limited_total', help: 'Requests denied with 429 (by a rate-limit plugin or the provider).', labelNames: ['endpoint', 'provider'], registers }));
    this.dropped = new Counter({ name: 'gatehouse_usage_records_dropped_total', help: 'Usage records dropped: queue full, or not written by shutdown.', registers });
    this.storeErrors = new Counter({ name: 'gatehouse_usage_store_errors_total', help: 'Failed usage store writes (the batch is retried).', registers });
    new Gauge({ name: 'gatehouse_usage_queue_depth', help: 'Usage records waiting to be written.', registers, collect() { this.set(queueDepth()); } });
  }

  /**
   * Node's process metrics (CPU, memory, event-loop lag, GC), from the first time metrics are on:
   * their collectors run whether or not anyone scrapes (an event-loop monitor wakes every 10 ms,
   * a GC observer runs on every collection), so a gateway with `metrics: false` never starts them.
   */
  enableProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestEnded(): void {
    this.inFlight--;
  }

  observe(ctx: RequestContext, record: UsageRecord): void {
    const endpoint = record.endpoint ?? '';
    const provider = record.provider ?? '';
    this.requests.inc(1, endpoint, provider, record.status);
    this.latency.observe(record.latency_ms / 1000, endpoint, provider);
    if (record.upstream_ms !== null) this.upstream.observe(record.upstream_ms / 1000, endpoint, provider);
    if (record.ttft_ms !== null) this.ttft.observe(record.ttft_ms / 1000, endpoint, provider);
    const model = record.model ?? '';
    if (record.prompt_tokens) this.tokens.inc(record.prompt_tokens, endpoint, provider, model, 'prompt');
    if (record.completion_tokens) this.tokens.inc(record.completion_tokens, endpoint, provider, model, 'completion');
    if (record.cost_nusd) this.cost.inc(record.cost_nusd / 1e9, endpoint, provider, model);
    const code = ctx.error?.code;
    if (code?.startsWith('GW_ERR_UPSTREAM_')) this.upstreamErrors.inc(1, endpoint, provider, code);
    if (record.status === 429) this.rateLimited.inc(1, endpoint, provider);
  }

  recordsDropped(count: number): void {
    this.dropped.inc(count);
  }

  storeFailed(): void {
    this.storeErrors.inc();
  }
}

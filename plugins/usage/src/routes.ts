// The read side over HTTP: GET /api/usage/requests, GET /api/usage/summary and GET /metrics.
// They are not behind the gateway's auth hooks (callers' keys): when a plugin provides the
// `admin-guard` store (the keys plugin, with an admin key set), they need the admin key.
import { createError, isGatewayError, type AdminGuard, type PluginApi, type PluginHttpRequest, type PluginHttpResponse } from '@gatehousejs/core';
import { encodeCursor, parseListQuery, parseSummaryQuery } from './query.js';
import type { UsageRecord } from './record.js';
import type { UsageTracker } from './tracker.js';

function body(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // truncated
  }
}

/** The record as the API shows it: ISO time and dollars instead of epoch ms and nano-dollars. */
export function apiRecord(r: UsageRecord): Record<string, unknown> {
  return {
    id: r.id,
    request_id: r.request_id,
    time: new Date(r.ts).toISOString(),
    surface: r.surface,
    route: r.route,
    endpoint: r.endpoint,
    endpoint_type: r.endpoint_type,
    provider: r.provider,
    model: r.model,
    key: r.key,
    user: r.user,
    tags: r.tags,
    stream: r.stream,
    status: r.status,
    error_type: r.error_type,
    error_code: r.error_code,
    latency_ms: r.latency_ms,
    upstream_ms: r.upstream_ms,
    overhead_ms: r.overhead_ms,
    ttft_ms: r.ttft_ms,
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    total_tokens: r.total_tokens,
    cached_tokens: r.cached_tokens,
    tokens_estimated: r.tokens_estimated,
    cost_usd: r.cost_nusd === null ? null : r.cost_nusd / 1e9,
    request_body: body(r.request_body),
    response_body: body(r.response_body),
  };
}

/** A store failure is the store's, not the caller's: a 500 that says so. */
export async function fromStore<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isGatewayError(error)) throw error;
    throw createError('GW_ERR_INTERNAL', `The usage store failed: ${(error as Error).message}`, { cause: error });
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function registerRoutes(api: PluginApi<never>, tracker: UsageTracker): void {
  // Asked per request: the guard's plugin is set up after this one.
  const guard = (request: PluginHttpRequest) => {
    if (api.stores.has('admin-guard')) api.stores.get<AdminGuard>('admin-guard').check(request.headers);
  };

  api.http.route({
    method: 'GET',
    path: '/api/usage/requests',
    absolute: true,
    async handler(request): Promise<PluginHttpResponse> {
      guard(request);
      const query = parseListQuery(request.query);
      const store = await tracker.readStore();
      const page = await fromStore(() => store.list(query));
      return { body: { records: page.records.map(apiRecord), next_cursor: page.next ? encodeCursor(page.next) : null } };
    },
  });

  api.http.route({
    method: 'GET',
    path: '/api/usage/summary',
    absolute: true,
    async handler(request): Promise<PluginHttpResponse> {
      guard(request);
      const query = parseSummaryQuery(request.query);
      const store = await tracker.readStore();
      const groups = await fromStore(() => store.summary(query));
      return { body: { group_by: query.groupBy, from: iso(query.from), to: iso(query.to), groups } };
    },
  });

  api.http.route({
    method: 'GET',
    path: '/metrics',
    absolute: true,
    async handler(request): Promise<PluginHttpResponse> {
      guard(request);
      if (!tracker.settings.metrics) throw createError('GW_ERR_ROUTE_NOT_FOUND', 'Metrics are disabled (usage.metrics is false).');
      const registry = tracker.metrics.registry;
      return { headers: { 'content-type': registry.contentType }, body: await registry.metrics() };
    },
  });
}

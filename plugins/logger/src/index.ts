// The access log: one JSON line per request, after the reply is sent. It records what the
// request did (endpoint, status, latency, tokens) and never a header, body or credential.
import { definePlugin, STAGE, type RequestContext } from '@gatehousejs/core';

export interface LoggerOptions {
  /** winston level of access lines. */
  level?: 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug';
  /** Also log 404s for unknown endpoints and other requests that never reached an endpoint. */
  include_unrouted?: boolean;
}

const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 1000) / 1000);

export function accessRecord(ctx: RequestContext): Record<string, unknown> {
  const t = ctx.timings;
  const end = t.end ?? performance.now();
  const upstream = t.upstreamStart !== undefined && t.upstreamEnd !== undefined ? t.upstreamEnd - t.upstreamStart : undefined;
  return {
    requestId: ctx.id,
    surface: ctx.surface,
    requested: ctx.requested,
    endpoint: ctx.target?.endpoint,
    provider: ctx.target?.provider,
    model: ctx.target?.model,
    principal: ctx.principal?.id,
    stream: ctx.stream,
    status: ctx.status,
    error_code: ctx.error?.code,
    latency_ms: round(end - t.start),
    upstream_ms: round(upstream),
    ttft_ms: t.firstChunk === undefined ? undefined : round(t.firstChunk - t.start),
    prompt_tokens: ctx.usage?.prompt_tokens,
    completion_tokens: ctx.usage?.completion_tokens,
    total_tokens: ctx.usage?.total_tokens,
  };
}

export default definePlugin<LoggerOptions>({
  id: 'logger',
  apiVersion: 1,
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      level: { enum: ['error', 'warn', 'info', 'http', 'verbose', 'debug'] },
      include_unrouted: { type: 'boolean' },
    },
  },
  setup(api, options) {
    let settings = { level: options.level ?? 'info', includeUnrouted: options.include_unrouted ?? true };
    api.onConfig((next) => {
      settings = { level: next.level ?? 'info', includeUnrouted: next.include_unrouted ?? true };
    });
    api.hooks.onResponse.tap({ stage: STAGE.LATE }, (ctx) => {
      if (!ctx.target && !settings.includeUnrouted) return;
      api.log.log(settings.level, 'request', accessRecord(ctx));
    });
  },
});

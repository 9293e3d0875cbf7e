// OpenAI's rate-limit headers: x-ratelimit-{limit,remaining,reset}-{requests,tokens}, the
// reset as a Go duration ("20ms", "1s", "6m0s", "1h0m0s"), which clients parse.
import type { CounterState } from '@gatehousejs/core';

export type Kind = 'requests' | 'tokens';

/** A Go-style duration: what OpenAI sends in x-ratelimit-reset-*. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = `${Number(((whole % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/**
 * The headers for this request: per kind, the counter closest to its limit (least remaining),
 * as OpenAI reports the limit that binds.
 */
export function rateLimitHeaders(kinds: readonly Kind[], counters: readonly CounterState[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const binding: Partial<Record<Kind, CounterState>> = {};
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    const counter = counters[i]!;
    const current = binding[kind];
    if (!current || counter.remaining < current.remaining) binding[kind] = counter;
  }
  for (const kind of ['requests', 'tokens'] as const) {
    const counter = binding[kind];
    if (!counter) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(counter.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(counter.remaining);
    headers[`x-ratelimit-reset-${kind}`] = goDuration(counter.resetMs);
  }
  return headers;
}

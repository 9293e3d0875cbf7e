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

const NAMES = {
  requests: ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
  tokens: ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
} as const;

/**
 * The headers for this request: per kind, the counter closest to its limit (least remaining),
 * as OpenAI reports the limit that binds. Written into `into` (the reply's headers, for an
 * admitted request), or a new object.
 */
export function rateLimitHeaders(kinds: readonly Kind[], counters: readonly CounterState[], into: Record<string, string> = {}): Record<string, string> {
  let requests: CounterState | undefined;
  let tokens: CounterState | undefined;
  for (let i = 0; i < kinds.length; i++) {
    const counter = counters[i]!;
    if (kinds[i] === 'requests') {
      if (!requests || counter.remaining < requests.remaining) requests = counter;
    } else if (!tokens || counter.remaining < tokens.remaining) tokens = counter;
  }
  if (requests) write(into, NAMES.requests, requests);
  if (tokens) write(into, NAMES.tokens, tokens);
  return into;
}

function write(into: Record<string, string>, names: readonly [string, string, string], counter: CounterState): void {
  into[names[0]] = String(counter.limit);
  into[names[1]] = String(counter.remaining);
  into[names[2]] = goDuration(counter.resetMs);
}

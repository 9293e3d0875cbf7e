// How long to wait before a retry, shared by the gateway's upstream retries and the TypeScript
// client's. Pure (no Node API), so the browser client can import it.

export interface BackoffPolicy {
  /** The first backoff; it doubles each retry. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** A Retry-After longer than this is not waited for. */
  readonly maxRetryAfterMs: number;
}

/**
 * Milliseconds before retry number `retry` (1-based): the server's Retry-After when it sent one,
 * else exponential backoff with equal jitter (half fixed, half random) so that clients failing
 * together do not retry together. Undefined: Retry-After is beyond the bound, so waiting is
 * pointless.
 */
export function backoffDelayMs(policy: BackoffPolicy, retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? undefined : retryAfterMs;
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** A Retry-After header (seconds, or an HTTP date) as milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

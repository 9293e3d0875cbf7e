// Which failures another try may fix, and how long to wait before it.
import { isGatewayError, type GatewayError } from '../errors.js';
import type { EndpointPolicy } from './policy.js';

/**
 * Connection failures, timeouts, rate limits (the upstream's or a fallback's own limit) and
 * upstream 5xx. Never a 4xx caused by the request, a cancelled request or a gateway bug.
 */
export function isRetryable(error: unknown): error is GatewayError {
  if (!isGatewayError(error)) return false;
  switch (error.code) {
    case 'GW_ERR_UPSTREAM_UNAVAILABLE':
    case 'GW_ERR_UPSTREAM_TIMEOUT':
    case 'GW_ERR_UPSTREAM_BAD_RESPONSE':
    case 'GW_ERR_RATE_LIMITED':
      return true;
    case 'GW_ERR_UPSTREAM_ERROR':
      return error.status >= 500;
    default:
      return false;
  }
}

/**
 * Milliseconds before retry number `retry` (1-based): the upstream's Retry-After when it sent
 * one, else exponential backoff with equal jitter (half fixed, half random) so that clients
 * failing together do not retry together. Undefined: Retry-After is beyond the policy's bound,
 * so waiting is pointless and the next fallback should be tried instead.
 */
export function retryDelayMs(policy: EndpointPolicy, retry: number, error: GatewayError, random: () => number = Math.random): number | undefined {
  if (error.retryAfter !== undefined) {
    const wanted = error.retryAfter * 1000;
    return wanted > policy.maxRetryAfterMs ? undefined : wanted;
  }
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

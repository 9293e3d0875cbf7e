// Which failures another try may fix, and how long to wait before it.
import { isGatewayError, type GatewayError } from '../errors.js';
import type { EndpointPolicy } from './policy.js';
import { backoffDelayMs } from '../util/backoff.js';

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

/** Milliseconds before retry number `retry` (1-based); undefined when Retry-After is beyond the policy's bound (the next fallback is tried instead). */
export function retryDelayMs(policy: EndpointPolicy, retry: number, error: GatewayError, random: () => number = Math.random): number | undefined {
  return backoffDelayMs(policy, retry, error.retryAfter === undefined ? undefined : error.retryAfter * 1000, random);
}

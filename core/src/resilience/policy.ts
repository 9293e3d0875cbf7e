// Each endpoint's resilience settings, resolved once per config (not per request) from its
// `retry`, `timeouts` and `circuit_breaker` keys and the server defaults.
import type { EndpointConfig } from '../config/types.js';

export interface EndpointPolicy {
  /** Tries on this endpoint, the first included. */
  readonly attempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRetryAfterMs: number;
  readonly connectMs: number | undefined;
  readonly firstByteMs: number | undefined;
  readonly idleMs: number | undefined;
  readonly totalMs: number;
  /** Undefined: no breaker for this endpoint. */
  readonly breaker: { readonly failures: number; readonly coolOffMs: number } | undefined;
}

export const RETRY_DEFAULTS = Object.freeze({ attempts: 1, backoffSeconds: 0.25, maxBackoffSeconds: 8, maxRetryAfterSeconds: 30 });
export const BREAKER_DEFAULTS = Object.freeze({ failures: 5, coolOffSeconds: 30 });

const ms = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : Math.round(seconds * 1000));

export function resolvePolicy(endpoint: EndpointConfig, defaultTotalMs: number): EndpointPolicy {
  const retry = endpoint.retry ?? {};
  const timeouts = endpoint.timeouts ?? {};
  const breaker = endpoint.circuit_breaker;
  return Object.freeze({
    attempts: retry.attempts ?? RETRY_DEFAULTS.attempts,
    backoffMs: ms(retry.backoff_seconds ?? RETRY_DEFAULTS.backoffSeconds)!,
    maxBackoffMs: ms(retry.max_backoff_seconds ?? RETRY_DEFAULTS.maxBackoffSeconds)!,
    maxRetryAfterMs: ms(retry.max_retry_after_seconds ?? RETRY_DEFAULTS.maxRetryAfterSeconds)!,
    connectMs: ms(timeouts.connect_seconds),
    firstByteMs: ms(timeouts.first_byte_seconds),
    idleMs: ms(timeouts.idle_seconds),
    totalMs: ms(timeouts.total_seconds) ?? defaultTotalMs,
    // Declaring the key (even empty) turns the breaker on with the defaults.
    breaker: breaker
      ? Object.freeze({ failures: breaker.failures ?? BREAKER_DEFAULTS.failures, coolOffMs: ms(breaker.cool_off_seconds ?? BREAKER_DEFAULTS.coolOffSeconds)! })
      : undefined,
  });
}

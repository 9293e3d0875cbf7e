// Fault injection: the mock fails the way a real upstream would, through core's coded errors.
import { createError, type CallContext, type GatewayError } from '@gatehousejs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './options.js';

/** The request-level fault (body field `mock`) over the endpoint's default. */
export function faultFor(request: Record<string, unknown>, defaults: Fault | undefined): Fault {
  const given = request.mock;
  return { ...defaults, ...(given && typeof given === 'object' ? (given as Fault) : {}) };
}

export function statusFault(fault: Fault): GatewayError | undefined {
  const status = fault.status;
  if (status === undefined) return undefined;
  const message = fault.message ?? `mock fault: status ${status}`;
  if (status === 429) return createError('GW_ERR_RATE_LIMITED', `mock rate limit: ${message}`, { retryAfter: fault.retry_after ?? 1 });
  if (status < 500) return createError('GW_ERR_UPSTREAM_ERROR', `mock rejected the request (${status}): ${message}`, { status });
  return createError('GW_ERR_UPSTREAM_ERROR', `mock failed (${status}): ${message}`);
}

export function malformedFault(): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', 'mock answered with a body that is not a valid answer (injected fault).');
}

/** Wait like a slow upstream: cancelled by the caller, cut by the call's timeout. */
export async function wait(ms: number, call: CallContext): Promise<void> {
  if (ms <= 0) return;
  if (ms >= call.timeoutMs) {
    await sleep(call.timeoutMs, undefined, { signal: call.signal });
    throw createError('GW_ERR_UPSTREAM_TIMEOUT', `mock did not answer within ${Math.round(call.timeoutMs / 1000)} s.`);
  }
  await sleep(ms, undefined, { signal: call.signal });
}

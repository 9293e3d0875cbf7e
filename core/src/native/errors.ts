// Errors on native routes, in the route's own protocol: its error body, its in-stream error frame,
// and the provider's own error answer where it is in that protocol.
import type { NativeError, NativeRouteDefinition } from '../api/native-routes.js';
import { createError, toOpenAIErrorBody, type GatewayError } from '../errors.js';
import { sseFrame } from '../sse.js';
import { upstreamErrorMessage } from '../upstream/http.js';
import { parseRetryAfterMs } from '../util/backoff.js';
import { isObject } from './request.js';

export interface ErrorReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** What a route's error writers see: already redacted (it comes from gw.fail), never a stack. */
function toNativeError(error: GatewayError): NativeError {
  const base = { status: error.status, code: error.code, type: error.type, message: error.message };
  return error.param === undefined ? base : { ...base, param: error.param };
}

function errorBody(route: NativeRouteDefinition, error: GatewayError): unknown {
  return route.errorBody ? route.errorBody(toNativeError(error)) : toOpenAIErrorBody(error);
}

/** The frame that ends a stream that failed: the route's own, else an OpenAI-style `data:` error event. */
export function streamErrorFrame(route: NativeRouteDefinition, error: GatewayError): string {
  return route.streamError ? route.streamError(toNativeError(error)) : sseFrame(JSON.stringify(toOpenAIErrorBody(error)));
}

/**
 * The reply to a failure. `ownProtocol`: the failure came from the route's own native handler,
 * so an upstream error body it carries is in this route's protocol and is answered as it is
 * (redacted by gw.fail). Otherwise (the gate, or a translated call to another provider) the
 * route's error shape carries the message.
 */
export function errorReply(route: NativeRouteDefinition, error: GatewayError, ownProtocol: boolean): ErrorReply {
  const headers: Record<string, string> = error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) };
  const body = ownProtocol && isObject(error.upstreamBody) ? error.upstreamBody : errorBody(route, error);
  return { status: error.status, headers, body };
}

/** A handler's non-2xx answer as a coded error that keeps its status and body. */
export function answeredError(provider: string, status: number, body: unknown, headers: Readonly<Record<string, string>> | undefined): GatewayError {
  const { message, type } = upstreamErrorMessage(typeof body === 'string' ? body : (JSON.stringify(body) ?? ''));
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers?.['retry-after']);
    return createError('GW_ERR_RATE_LIMITED', `Provider "${provider}" rate limit: ${message}`, {
      retryAfter: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
      upstreamBody: body,
    });
  }
  // A 503's Retry-After is honoured by retries, as a 429's is.
  const retryAfterMs = status >= 500 ? parseRetryAfterMs(headers?.['retry-after']) : undefined;
  return createError('GW_ERR_UPSTREAM_ERROR', `Provider "${provider}" answered ${status}: ${message}`, {
    status,
    type,
    upstreamBody: body,
    retryAfter: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}

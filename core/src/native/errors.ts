// Errors on native routes, in the route's own protocol: its error body, its in-stream error frame,
// and the provider's own error answer where it is in that protocol.
import type { NativeError, NativeRouteDefinition } from '../api/native-routes.js';
import { createError, toGatewayError, toOpenAIErrorBody, type GatewayError } from '../errors.js';
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

const CLOSING = Symbol('gatehouse.closingFrame');

/**
 * A failure after a native stream started that the handler ends in its own way (Gemini's JSON
 * array closes with an error element, where an SSE error frame would break the JSON): thrown by
 * the handler, it is recorded like any failure, and the stream ends with what `frame` makes of
 * the redacted error.
 */
export function endStreamWith(error: unknown, frame: (error: NativeError) => string): GatewayError {
  return Object.assign(toGatewayError(error), { [CLOSING]: frame });
}

/** The frame that ends a failed stream: the handler's own closing (see endStreamWith), else the route's error frame. */
export function closingFrame(route: NativeRouteDefinition, thrown: unknown, safe: GatewayError): string {
  const own = (thrown as { [CLOSING]?: (error: NativeError) => string } | null)?.[CLOSING];
  return typeof own === 'function' ? own(toNativeError(safe)) : streamErrorFrame(route, safe);
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

// The client's errors: one class per way a call fails, each carrying what the gateway said
// (its OpenAI-shaped `{error: {message, type, code, param}}`) and the request's id.
import { parseRetryAfterMs } from '../util/backoff.js';

export interface ErrorDetails {
  /** HTTP status; undefined when no answer arrived (timeout, connection, abort) or mid-stream. */
  readonly status?: number;
  /** The gateway's `error.code`, e.g. `endpoint_not_found`. */
  readonly code?: string;
  readonly type?: string;
  /** The request field at fault. */
  readonly param?: string;
  /** The gateway's `x-request-id`, to find the request in its logs. */
  readonly requestId?: string;
  /** The server's Retry-After, in milliseconds. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

export class GatehouseError extends Error {
  override name = 'GatehouseError';
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.type = details.type;
    this.param = details.param;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

// Names are set as strings, not taken from the constructor: minifiers rename classes.
/** 400: the body is wrong (`param` names the field), or the endpoint's type does not match. */
export class BadRequestError extends GatehouseError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends GatehouseError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends GatehouseError {
  override name = 'PermissionDeniedError';
}
/** 404: no such endpoint or route. */
export class NotFoundError extends GatehouseError {
  override name = 'NotFoundError';
}
/** 429: `retryAfterMs` says when to come back. */
export class RateLimitError extends GatehouseError {
  override name = 'RateLimitError';
}
/** 5xx: the provider failed (502), timed out (504), lacks the endpoint type (501), or the gateway is stopping (503). */
export class ServerError extends GatehouseError {
  override name = 'ServerError';
}
/** An `event: error` frame: the stream failed after it had started (never retried). */
export class StreamError extends GatehouseError {
  override name = 'StreamError';
}
/** No answer within `timeoutMs` (or a stream silent that long). */
export class TimeoutError extends GatehouseError {
  override name = 'TimeoutError';
}
/** The gateway could not be reached, or the connection broke. */
export class ConnectionError extends GatehouseError {
  override name = 'ConnectionError';
}
/** The caller's AbortSignal fired; `cause` is its reason. */
export class AbortedError extends GatehouseError {
  override name = 'AbortedError';
}

export function abortedBy(signal: AbortSignal): AbortedError {
  return new AbortedError('The request was aborted.', { cause: signal.reason });
}

type ErrorClass = new (message: string, details: ErrorDetails) => GatehouseError;

const BY_STATUS: Readonly<Record<number, ErrorClass>> = Object.freeze({
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  429: RateLimitError,
});

interface WireError {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  param?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The `error` object of the gateway's body, if the text is one. */
function wireError(body: string): WireError | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed?.error === 'object' && parsed.error !== null ? (parsed.error as WireError) : undefined;
  } catch {
    return undefined;
  }
}

function detailsOf(error: WireError | undefined, requestId: string | undefined): ErrorDetails {
  return { code: text(error?.code), type: text(error?.type), param: text(error?.param), requestId };
}

/** A non-2xx answer as its error class. */
export async function errorFromResponse(response: Response): Promise<GatehouseError> {
  const body = await response.text().catch(() => '');
  const error = wireError(body);
  const status = response.status;
  const Class = BY_STATUS[status] ?? (status >= 500 ? ServerError : GatehouseError);
  const message = text(error?.message) ?? `HTTP ${status}${body ? `: ${body.slice(0, 500)}` : ''}`;
  return new Class(message, {
    ...detailsOf(error, response.headers.get('x-request-id') ?? undefined),
    status,
    retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
  });
}

/** The data of an `event: error` frame as a StreamError. */
export function streamError(data: string, requestId: string | undefined): StreamError {
  const error = wireError(data);
  return new StreamError(text(error?.message) ?? `The stream failed: ${data.slice(0, 500)}`, detailsOf(error, requestId));
}

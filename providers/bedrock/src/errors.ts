// Bedrock Runtime failures → coded gateway errors: HTTP error answers (rest-json protocol:
// `{"message": ...}` with the exception name in the `x-amzn-errortype` header) and exception
// messages inside an event stream.
// References: the Errors sections of
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html and
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
import { createError, type GatewayError, type UpstreamResponse } from '@gatehousejs/core';

export const PROVIDER_LABEL = 'Bedrock';
const ERROR_BODY_LIMIT = 64 * 1024;

/** `ValidationException:http://internal.amazon.com/coral/...` → `ValidationException`. */
export function errorTypeOf(header: string | string[] | undefined, body: unknown): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value) return value.split(':')[0]!.trim() || undefined;
  const type = (body as { __type?: unknown } | null)?.__type;
  return typeof type === 'string' ? type.split('#').pop() : undefined;
}

function messageOf(body: unknown, text: string): string {
  const node = body as Record<string, unknown> | null;
  for (const key of ['message', 'Message']) {
    if (typeof node?.[key] === 'string') return node[key] as string;
  }
  return text.trim().slice(0, 500) || 'no details';
}

function retryAfter(headers: UpstreamResponse['headers']): number | undefined {
  const value = headers['retry-after'];
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

const TYPE_BY_STATUS: ReadonlyMap<number, string> = new Map([
  [401, 'authentication_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
]);

/**
 * Map an exception to a coded error. Throttling (and a model not yet ready) → 429; a model
 * timeout → 504; a model failure (424) and any 5xx → 502; other 4xx keep their status.
 */
export function exceptionError(status: number, type: string | undefined, message: string, upstreamBody?: unknown, retry?: number): GatewayError {
  const name = type ?? 'UnknownError';
  const lower = name.toLowerCase();
  if (status === 429 || lower === 'throttlingexception' || lower === 'modelnotreadyexception' || lower === 'servicequotaexceededexception') {
    return createError('GW_ERR_RATE_LIMITED', `${PROVIDER_LABEL} rate limit (${name}): ${message}`, { retryAfter: retry, upstreamBody });
  }
  if (status === 408 || lower === 'modeltimeoutexception') {
    return createError('GW_ERR_UPSTREAM_TIMEOUT', `${PROVIDER_LABEL} model timed out (${name}): ${message}`, { upstreamBody });
  }
  if (status >= 400 && status < 500 && status !== 424 && !lower.startsWith('model')) {
    return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} rejected the request (${status} ${name}): ${message}`, {
      status,
      type: TYPE_BY_STATUS.get(status) ?? 'invalid_request_error',
      upstreamBody,
    });
  }
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} failed (${status} ${name}): ${message}`, { upstreamBody });
}

async function readLimited(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size < ERROR_BODY_LIMIT) parts.push(Buffer.from(chunk));
      size += chunk.length;
    }
  } catch {
    // A broken error body still yields whatever arrived.
  }
  return Buffer.concat(parts).toString('utf8').slice(0, ERROR_BODY_LIMIT);
}

/** A non-2xx Bedrock answer as a coded error, keeping AWS's exception name and message. */
export async function responseError(res: UpstreamResponse): Promise<GatewayError> {
  const text = await readLimited(res.body);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, say): the text is the message.
  }
  const type = errorTypeOf(res.headers['x-amzn-errortype'], body);
  return exceptionError(res.status, type, messageOf(body, text), body, retryAfter(res.headers));
}

/** Status codes of the exceptions an event stream can carry (ConverseStreamOutput, ResponseStream). */
const STREAM_EXCEPTION_STATUS: ReadonlyMap<string, number> = new Map([
  ['internalserverexception', 500],
  ['modelstreamerrorexception', 424],
  ['modeltimeoutexception', 408],
  ['serviceunavailableexception', 503],
  ['throttlingexception', 429],
  ['validationexception', 400],
]);

/**
 * An `exception` (or `error`) message inside a stream. The HTTP status is long sent by then:
 * throttling is a 429, a model timeout a 504, anything else a 502 carrying AWS's message.
 */
export function streamExceptionError(type: string | undefined, message: string, upstreamBody?: unknown): GatewayError {
  const name = type ?? 'UnknownError';
  const lower = name.toLowerCase();
  const status = STREAM_EXCEPTION_STATUS.get(lower) ?? 500;
  if (status === 429 || status === 408) return exceptionError(status, name, message, upstreamBody);
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} stream failed (${name}): ${message}`, { upstreamBody });
}

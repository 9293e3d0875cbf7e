// Upstream HTTP for providers: every call goes through the injected dispatcher, carries the
// caller's AbortSignal and a total timeout, and failures come back as coded GatewayErrors.
import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from './undici.js';
import { createError, isGatewayError, type GatewayError } from '../errors.js';
import type { CallContext } from '../api/provider.js';
import type { SSEEvent } from '../sse.js';
import { parseRetryAfterMs } from '../util/backoff.js';
import { Deadlines } from '../deadlines.js';
import { cancelSourceOf, existingSignal } from '../cancellation.js';
import { SSEEvents } from './sse-events.js';
import { keepVerbatim } from '../verbatim.js';
import { parseEmbeddingsJson } from '../lazy-vectors.js';

export interface UpstreamRequest {
  /** Provider name for messages ('OpenAI', 'Anthropic'). */
  readonly provider: string;
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Record<string, string>;
  /** A JSON value (serialised here), or a ready string/bytes body. */
  readonly body?: unknown;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData['body'];
  /** Milliseconds from sending to the response headers. */
  readonly firstByteMs: number;
}

const ERROR_BODY_LIMIT = 64 * 1024;

// One background timer per distinct total timeout (endpoints share a handful of values):
// AbortSignal.timeout's timer would stay armed for the whole timeout (minutes) after a call
// that took a millisecond.
const totalTimeouts = new Map<number, Deadlines>();
function deadlinesFor(ms: number): Deadlines {
  let deadlines = totalTimeouts.get(ms);
  if (!deadlines) totalTimeouts.set(ms, (deadlines = new Deadlines(ms, true)));
  return deadlines;
}

/** The reason AbortSignal.timeout gives, which transportError maps to a 504. */
const timeoutReason = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/**
 * Calls `abort` once, with the reason, when the call is cancelled or its total timeout passes;
 * returns the release for when the call is over. No AbortController of its own.
 */
function watchCall(call: CallContext, abort: (reason: unknown) => void): () => void {
  const cancel = cancelSourceOf(call);
  let fired = false;
  const fire = (reason: unknown) => {
    if (fired) return;
    fired = true;
    abort(reason);
  };
  const stopListening = cancel.onAbort(() => fire(cancel.reason));
  const stopTimer = deadlinesFor(call.timeoutMs).start(() => fire(timeoutReason()));
  return () => {
    stopTimer();
    stopListening();
  };
}

/** The call's cancellation plus its total timeout, as one signal for undici's request(). */
function combinedSignal(call: CallContext): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const cancel = cancelSourceOf(call);
  if (cancel.aborted) {
    controller.abort(cancel.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const release = watchCall(call, (reason) => controller.abort(reason));
  return { signal: controller.signal, release };
}

function encodeBody(body: unknown): { payload: string | Uint8Array | undefined; json: boolean } {
  if (body === undefined) return { payload: undefined, json: false };
  if (typeof body === 'string' || body instanceof Uint8Array) return { payload: body, json: false };
  return { payload: JSON.stringify(body), json: true };
}

/** What request() and dispatch() both take: method, headers, body, the call's signal and its timeouts. */
function callOptions(req: UpstreamRequest, call: CallContext, signal: AbortSignal | undefined) {
  const { payload, json } = encodeBody(req.body);
  const headers: Record<string, string> = Object.assign({}, req.headers);
  if (json && !('content-type' in headers)) headers['content-type'] = 'application/json';
  return {
    method: req.method ?? (payload === undefined ? 'GET' : 'POST'),
    headers,
    body: payload,
    signal,
    // The endpoint's own limits; otherwise undici's defaults, under the total timeout.
    ...(call.firstByteTimeoutMs === undefined ? {} : { headersTimeout: call.firstByteTimeoutMs }),
    ...(call.idleTimeoutMs === undefined ? {} : { bodyTimeout: call.idleTimeoutMs }),
  };
}

/** Map a thrown transport error (abort, timeout, refused connection) to a coded error. */
export function transportError(error: unknown, call: CallContext, provider: string): GatewayError {
  if (isGatewayError(error)) return error;
  const cancel = cancelSourceOf(call);
  if (cancel.aborted) {
    const reason = cancel.reason;
    if (isGatewayError(reason)) return reason;
    return createError('GW_ERR_CLIENT_CLOSED', 'The request was cancelled.', { cause: error });
  }
  const name = (error as { name?: string } | null)?.name;
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return createError('GW_ERR_UPSTREAM_TIMEOUT', `${provider} sent no response within ${formatDuration(call.firstByteTimeoutMs ?? 300_000)}.`, { cause: error });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return createError('GW_ERR_UPSTREAM_TIMEOUT', `${provider} sent nothing for ${formatDuration(call.idleTimeoutMs ?? 300_000)}.`, { cause: error });
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return createError('GW_ERR_UPSTREAM_UNAVAILABLE', `Could not connect to ${provider} in time (connect timeout).`, { cause: error });
  }
  if (name === 'TimeoutError' || name === 'AbortError') {
    return createError('GW_ERR_UPSTREAM_TIMEOUT', `${provider} did not answer within ${formatDuration(call.timeoutMs)}.`, { cause: error });
  }
  return createError('GW_ERR_UPSTREAM_UNAVAILABLE', `Could not reach ${provider}: ${describeCause(error)}.`, { cause: error });
}

/**
 * For a provider's loop over events already read: a cancelled call stops there, with the same
 * error the transport gives. Reads the call's cancellation without making its AbortSignal.
 */
export function throwIfCancelled(call: CallContext, provider: string): void {
  const cancel = cancelSourceOf(call);
  if (cancel.aborted) throw transportError(cancel.reason, call, provider);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

function describeCause(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (typeof code === 'string') return code;
  return (error as Error | null)?.message ?? 'connection failed';
}

/** Extract a message from the error bodies providers use ({error:{message}}, {message}, {detail}, text). */
export function upstreamErrorMessage(text: string): { message: string; type: string | undefined; body: unknown } {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.trim().slice(0, 500) || 'no details', type: undefined, body: text };
  }
  const node = body as Record<string, unknown> | null;
  const error = node?.error;
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const message = typeof e.message === 'string' ? e.message : JSON.stringify(error);
    return { message, type: typeof e.type === 'string' ? e.type : undefined, body };
  }
  for (const key of ['message', 'error', 'detail', 'error_message', 'msg']) {
    const value = node?.[key];
    if (typeof value === 'string') return { message: value, type: undefined, body };
  }
  // FastAPI/Pydantic validation errors (a 422 from AI21 or TGI; Mistral nests them in `message`).
  const invalid = validationDetail(node?.detail) ?? validationDetail((node?.message as { detail?: unknown } | null | undefined)?.detail);
  if (invalid !== undefined) return { message: invalid, type: typeof node?.type === 'string' ? node.type : undefined, body };
  return { message: text.slice(0, 500), type: undefined, body };
}

/** `[{loc: ['body', 'messages', 0], msg: 'Field required'}, ...]` as "body.messages.0: Field required; ..." (five at most). */
function validationDetail(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const parts: string[] = [];
  for (const item of value as { loc?: unknown; msg?: unknown }[]) {
    if (typeof item?.msg !== 'string') continue;
    parts.push(Array.isArray(item.loc) && item.loc.length > 0 ? `${item.loc.join('.')}: ${item.msg}` : item.msg);
    if (parts.length === 5) break;
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function retryAfterSeconds(headers: UpstreamResponse['headers']): number | undefined {
  const value = headers['retry-after'];
  const ms = parseRetryAfterMs(Array.isArray(value) ? value[0] : value);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

/** Turn a non-2xx upstream answer into a coded error: 4xx keep their status, 5xx become 502. */
export async function statusError(response: UpstreamResponse, provider: string): Promise<GatewayError> {
  const text = await readLimited(response.body, ERROR_BODY_LIMIT);
  const { message, type, body } = upstreamErrorMessage(text);
  const status = response.status;
  if (status === 429) {
    return createError('GW_ERR_RATE_LIMITED', `${provider} rate limit: ${message}`, {
      retryAfter: retryAfterSeconds(response.headers),
      upstreamBody: body,
    });
  }
  if (status >= 400 && status < 500) {
    return createError('GW_ERR_UPSTREAM_ERROR', `${provider} rejected the request (${status}): ${message}`, {
      status,
      type: type ?? 'invalid_request_error',
      upstreamBody: body,
    });
  }
  // A 503 often says when to come back; retries honour it.
  return createError('GW_ERR_UPSTREAM_ERROR', `${provider} failed (${status}): ${message}`, {
    upstreamBody: body,
    retryAfter: retryAfterSeconds(response.headers),
  });
}

async function readLimited(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size < limit) parts.push(Buffer.from(chunk));
      size += chunk.length;
    }
  } catch {
    // A broken error body still yields whatever arrived.
  }
  return Buffer.concat(parts).toString('utf8').slice(0, limit);
}

/** Send a request; resolves on any status with the body unread. */
export async function sendUpstream(dispatcher: Dispatcher, req: UpstreamRequest, call: CallContext): Promise<UpstreamResponse> {
  const started = performance.now();
  const { signal, release } = combinedSignal(call);
  try {
    // Object.assign onto the fresh object, not `{ ...a, ...b }` (README, Performance, Hidden classes).
    const res = await dispatcher.request(Object.assign(splitUrl(req.url), callOptions(req, call, signal)));
    // The timeout covers the body too (a whole stream): released once the body is done with.
    res.body.once('close', release);
    return { status: res.statusCode, headers: res.headers, body: res.body, firstByteMs: performance.now() - started };
  } catch (error) {
    release();
    throw transportError(error, call, req.provider);
  }
}

/** Origin and path of an absolute URL, without a URL object per call. */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

function* once(body: Buffer): Iterable<Uint8Array> {
  yield body;
}

/** undici's controller for one dispatched call, aborted by the call's cancellation or total timeout. */
interface DispatchAbort {
  started(controller: Dispatcher.DispatchController): void;
  /** The call is over: stop watching it. */
  readonly release: () => void;
}

/**
 * Dispatch one call with the handler `handlerFor` makes: refused at once when the call is
 * already cancelled, aborted by its cancellation or its total timeout, a synchronous dispatch
 * failure rejected as a coded error. No AbortController of its own.
 */
function dispatchCall(
  dispatcher: Dispatcher,
  req: UpstreamRequest,
  call: CallContext,
  reject: (error: unknown) => void,
  handlerFor: (abort: DispatchAbort) => Dispatcher.DispatchHandler,
): void {
  const cancel = cancelSourceOf(call);
  if (cancel.aborted) {
    reject(transportError(cancel.reason, call, req.provider));
    return;
  }
  let controller: Dispatcher.DispatchController | undefined;
  let abortedWith: unknown;
  const release = watchCall(call, (reason) => {
    abortedWith = reason;
    controller?.abort(reason as Error);
  });
  const abort: DispatchAbort = {
    started(c) {
      controller = c;
      if (abortedWith !== undefined) c.abort(abortedWith as Error);
    },
    release,
  };
  const { origin, path } = splitUrl(req.url);
  try {
    // dispatch() itself ignores `signal`; interceptors see a caller's own (core's is never made here).
    dispatcher.dispatch({ origin, path, ...callOptions(req, call, existingSignal(call)) } as Dispatcher.DispatchOptions, handlerFor(abort));
  } catch (error) {
    release();
    reject(transportError(error, call, req.provider));
  }
}

const parseJson = (text: string): unknown => JSON.parse(text);

/**
 * JSON.parse for requestJson that keeps the answer's bytes on the object it returns (see
 * verbatim.ts): for a provider whose upstream already answers in the canonical shape, which drops
 * the mark when it changes anything.
 */
export function parseJsonVerbatim(text: string, bytes: Buffer): unknown {
  return markObject(JSON.parse(text), bytes);
}

/** parseEmbeddingsJson (vectors kept as their text), the result marked as parseJsonVerbatim does. */
export function parseEmbeddingsJsonVerbatim(text: string, bytes: Buffer): unknown {
  return markObject(parseEmbeddingsJson(text), bytes);
}

function markObject(value: unknown, bytes: Buffer): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? keepVerbatim(value, bytes) : value;
}

/**
 * Send, require a 2xx, parse JSON (with `parse`: e.g. `parseEmbeddingsJson`). The answer is collected straight from undici's dispatch
 * handler: no response stream is built for a body that is read whole anyway (request() makes a
 * Readable per call, a noticeable part of a request's CPU).
 */
export function requestJson<T = unknown>(
  dispatcher: Dispatcher,
  req: UpstreamRequest,
  call: CallContext,
  parse: (text: string, bytes: Buffer) => unknown = parseJson,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    dispatchCall(dispatcher, req, call, reject, (abort) => {
      let status = 0;
      let responseHeaders: UpstreamResponse['headers'] = {};
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = (outcome: () => void) => {
        abort.release();
        outcome();
      };
      return {
        onRequestStart(c) {
          abort.started(c);
        },
        onResponseStart(_c, statusCode, h) {
          status = statusCode;
          responseHeaders = h;
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
          size += chunk.length;
        },
        onResponseEnd() {
          settle(() => {
            const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
            if (status < 200 || status >= 300) {
              const response: UpstreamResponse = { status, headers: responseHeaders, body: once(body) as unknown as UpstreamResponse['body'], firstByteMs: 0 };
              statusError(response, req.provider).then(reject, reject);
              return;
            }
            try {
              // A UTF-8 byte order mark is dropped, as undici's text() does.
              const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
              resolve(parse(body.toString('utf8', start), start === 0 ? body : body.subarray(start)) as T);
            } catch (error) {
              reject(createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${req.provider} answered with a body that is not JSON.`, { cause: error }));
            }
          });
        },
        onResponseError(_c, error) {
          // An abort reaches undici as the reason itself; transportError reads the cancellation.
          settle(() => reject(transportError(error, call, req.provider)));
        },
      };
    });
  });
}

/**
 * Send, require a 2xx, and read the answer as server-sent events. Resolves once the upstream
 * accepted the request (a 4xx rejects before any event); the events come straight from
 * undici's dispatch handler (see SSEEvents).
 */
export function requestSSE(dispatcher: Dispatcher, req: UpstreamRequest, call: CallContext): Promise<AsyncIterable<SSEEvent>> {
  return new Promise((resolve, reject) => {
    dispatchCall(dispatcher, req, call, reject, (abort) => {
      const release = abort.release;
      let status = 0;
      let responseHeaders: UpstreamResponse['headers'] = {};
      const errorChunks: Buffer[] = [];
      let errorSize = 0;
      const cancel = cancelSourceOf(call);
      const events = new SSEEvents((error) => transportError(error, call, req.provider), release, () => cancel.aborted);
      const accepted = () => status >= 200 && status < 300;
      return {
        onRequestStart(c) {
          events.attach(c);
          abort.started(c);
        },
        onResponseStart(_c, statusCode, h) {
          status = statusCode;
          responseHeaders = h;
          if (accepted()) resolve(events);
        },
        onResponseData(_c, chunk) {
          if (accepted()) return events.data(chunk);
          if (errorSize < ERROR_BODY_LIMIT) {
            errorChunks.push(chunk);
            errorSize += chunk.length;
          }
        },
        onResponseEnd() {
          if (accepted()) return events.end();
          release();
          const response: UpstreamResponse = { status, headers: responseHeaders, body: once(Buffer.concat(errorChunks)) as unknown as UpstreamResponse['body'], firstByteMs: 0 };
          statusError(response, req.provider).then(reject, reject);
        },
        onResponseError(_c, error) {
          if (accepted()) return events.error(error);
          release();
          reject(transportError(error, call, req.provider));
        },
      };
    });
  });
}

/** Wrap a stream so that transport failures mid-stream surface as coded errors, and early exit frees the socket. */
export async function* guardStream<T>(source: AsyncIterable<T>, call: CallContext, provider: string, release: () => void): AsyncGenerator<T> {
  try {
    for await (const item of source) yield item;
  } catch (error) {
    throw transportError(error, call, provider);
  } finally {
    release();
  }
}

/** Parse one JSON event payload of a stream, or fail with a 502 naming the provider. */
export function parseEventJson<T = unknown>(data: string, provider: string): T {
  try {
    return JSON.parse(data) as T;
  } catch (error) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${provider} sent a stream event that is not JSON.`, { cause: error });
  }
}

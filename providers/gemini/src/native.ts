// The native handlers behind native-routes.ts. The client's body goes to Gemini as it is, for the
// endpoint's model, with the gateway's key and no header or query parameter of the caller's (so
// the caller's own key can never reach Google). Gemini's answer comes back with its status and
// body, errors included; streams are passed on event by event, and usage is read from the
// usageMetadata of the answer (in a stream, the last event's: the counts are cumulative).
// Reference: https://ai.google.dev/api/generate-content
import {
  createError,
  endStreamWith,
  guardStream,
  readSSE,
  sendUpstream,
  statusError,
  transportError,
  type CallContext,
  type NativeHandler,
  type NativeRequest,
  type NativeResponse,
  type ProviderServices,
  type SSEEvent,
  type UpstreamResponse,
  type Usage,
} from '@gatehousejs/core';
import { googleError } from './native-routes.js';
import { PROVIDER_LABEL, toUsage } from './response.js';
import type { GeminiResponse, GeminiUsageMetadata } from './wire.js';

export interface NativeDeps {
  readonly dispatcher: ProviderServices['dispatcher'];
  /** The gateway's key header and the content type: all that is sent. */
  readonly headers: Readonly<Record<string, string>>;
  /** The method URLs for a model (the stream URL asks for SSE). */
  readonly urls: (model: string) => { readonly generate: string; readonly stream: string };
}

const SSE_HEADERS = Object.freeze({ 'content-type': 'text/event-stream' });
const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json; charset=UTF-8' });

const isOk = (status: number): boolean => status >= 200 && status < 300;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function usageOf(answer: unknown): GeminiUsageMetadata | undefined {
  return isObject(answer) && isObject(answer.usageMetadata) ? answer.usageMetadata : undefined;
}

/** Gemini's JSON answer, any status. A non-JSON error page (a proxy's) becomes a coded error. */
async function readAnswer(res: UpstreamResponse, call: CallContext): Promise<unknown> {
  if (!isOk(res.status) && !/json/i.test(String(res.headers['content-type'] ?? ''))) throw await statusError(res, PROVIDER_LABEL);
  let text: string;
  try {
    text = await res.body.text();
  } catch (error) {
    throw transportError(error, call, PROVIDER_LABEL);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not JSON.`, { cause });
  }
}

/** Google's error event ends a stream: a coded error with its status and message, so the failure is recorded. */
function streamFailure(event: GeminiResponse): Error {
  const { code, message } = event.error ?? {};
  const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : 502;
  return createError('GW_ERR_UPSTREAM_ERROR', typeof message === 'string' ? message : `${PROVIDER_LABEL} stream failed.`, { status, upstreamBody: event });
}

/** Each event's data as it arrives, noting its usageMetadata on the way. */
async function* watched(events: AsyncIterable<SSEEvent>, seen: { usage?: GeminiUsageMetadata }): AsyncGenerator<string> {
  for await (const { data } of events) {
    if (data.trim() === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      // Not ours to judge: the client gets the event as Gemini sent it.
    }
    if (isObject(event) && event.error !== undefined && event.error !== null) throw streamFailure(event as GeminiResponse);
    seen.usage = usageOf(event) ?? seen.usage;
    yield data;
  }
}

/** alt=sse: the events as SSE frames (CRLF, as Google sends them). */
async function* sseFrames(events: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const data of events) yield `data: ${data.split('\n').join('\r\ndata: ')}\r\n\r\n`;
}

/**
 * Without alt=sse Gemini streams one JSON array, an element per event. A failure after the first
 * element ends as Google ends it, an error element closing the array (core's SSE error frame would
 * break the JSON), and core records the failure; before it, core still answers with an HTTP error.
 */
async function* jsonArray(events: AsyncIterable<string>): AsyncGenerator<string> {
  let separator = '[';
  try {
    for await (const data of events) {
      yield separator + data;
      separator = ',\r\n';
    }
  } catch (error) {
    if (separator === '[') throw error;
    const closing = separator;
    throw endStreamWith(error, (failure) => `${closing}${JSON.stringify(googleError(failure.status, failure.message))}]`);
  }
  yield separator === '[' ? '[]' : ']';
}

function wantsSSE(query: NativeRequest['query']): boolean {
  const alt = query.alt;
  return (Array.isArray(alt) ? alt[0] : alt)?.toLowerCase() === 'sse';
}

export function nativeHandlers(deps: NativeDeps): Readonly<Record<string, NativeHandler>> {
  const send = (url: string, request: NativeRequest, call: CallContext): Promise<UpstreamResponse> => {
    // A string body would go out as it is, not as JSON: refuse anything but the request object.
    if (!isObject(request.body)) throw createError('GW_ERR_BAD_REQUEST', 'The request body must be a JSON object (a GenerateContentRequest).');
    return sendUpstream(deps.dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers: deps.headers, body: request.body }, call);
  };

  return Object.freeze({
    async generateContent(request: NativeRequest, call: CallContext): Promise<NativeResponse> {
      const res = await send(deps.urls(request.model).generate, request, call);
      const body = await readAnswer(res, call);
      const metadata = isOk(res.status) ? usageOf(body) : undefined;
      return { status: res.status, body, usage: (): Usage | undefined => (metadata ? toUsage(metadata) : undefined) };
    },

    async streamGenerateContent(request: NativeRequest, call: CallContext): Promise<NativeResponse> {
      // Always SSE upstream (events are easy to pass on one by one); the client's framing is ours to write.
      const res = await send(deps.urls(request.model).stream, request, call);
      if (!isOk(res.status)) return { status: res.status, body: await readAnswer(res, call) };
      const seen: { usage?: GeminiUsageMetadata } = {};
      const events = watched(
        guardStream(readSSE(res.body), call, PROVIDER_LABEL, () => res.body.destroy()),
        seen,
      );
      const usage = (): Usage | undefined => (seen.usage ? toUsage(seen.usage) : undefined);
      return wantsSSE(request.query)
        ? { status: 200, headers: SSE_HEADERS, stream: sseFrames(events), usage }
        : { status: 200, headers: JSON_HEADERS, stream: jsonArray(events), usage };
    },
  });
}

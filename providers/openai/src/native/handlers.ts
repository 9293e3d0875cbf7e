// The OpenAI instance's native handlers: the client's own request body (model already replaced by
// core) sent to the configured API with the gateway's credentials; the upstream status and body
// kept; streams passed on event by event with the usage tallied.
import {
  copyOwn,
  createError,
  guardStream,
  sendUpstream,
  transportError,
  type CallContext,
  type NativeHandler,
  type NativeRequest,
  type NativeResponse,
  type ProviderServices,
  type UpstreamResponse,
  type Usage,
} from '@gatehousejs/core';
import { joinUrl, operationUrls, withQuery, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { chatStreamInspector, responsesStreamInspector } from './inspectors.js';
import { relayEvents, type EventInspector } from './relay.js';
import { chatUsage, responsesUsage } from './usage.js';

/** Handler names, namespaced by protocol: another provider's `native` never matches them by accident. */
export const NATIVE_HANDLERS = Object.freeze({
  chat: 'openai.chat.completions',
  embeddings: 'openai.embeddings',
  responses: 'openai.responses',
} as const);

type Json = Record<string, unknown>;

// Client headers that mean something to OpenAI and carry no credential. Nothing else is sent on:
// accept-encoding, say, would bring back compressed bytes, and openai-organization would override
// the gateway's.
const FORWARDED_HEADERS: readonly string[] = ['openai-beta', 'idempotency-key'];

interface Operation {
  readonly url: string;
  /** The upstream body for the client's. */
  body(request: NativeRequest): Json;
  usage(answer: Json): Usage | undefined;
  /** For a streamed answer: reads each event, reports the usage, decides what the client gets. */
  inspector(request: NativeRequest, found: (usage: Usage) => void): EventInspector;
}

export interface NativeHandlerOptions {
  /** Azure names the deployment in the URL: `model` is left out of the body, and Responses is refused. */
  readonly azure: boolean;
  readonly endpoint: string;
}

export function nativeHandlers(settings: OpenAICompatibleSettings, services: ProviderServices, options: NativeHandlerOptions): Record<string, NativeHandler> {
  const urls = operationUrls(settings);
  const fixedHeaders = settings.headers ?? {};
  const { provider } = settings;

  const bodyOf = (request: NativeRequest): Json => {
    // The client's body as data (core's copyOwn), without the model for Azure.
    return copyOwn(request.body as Json, options.azure ? 'model' : undefined);
  };

  const forward = async (operation: Operation, request: NativeRequest, call: CallContext): Promise<NativeResponse> => {
    const headers: Record<string, string> = Object.assign({}, fixedHeaders);
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const res = await sendUpstream(services.dispatcher, { provider, url: operation.url, headers, body: operation.body(request) }, call);
    const replyHeaders = answerHeaders(res);
    if (res.status < 200 || res.status >= 300) return { status: res.status, headers: replyHeaders, body: parsed(await readText(res, call, provider)) };
    if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      let usage: Usage | undefined;
      const events = relayEvents(res.body, operation.inspector(request, (found) => (usage = found)));
      const stream = guardStream(events, call, provider, () => res.body.destroy());
      return { status: res.status, headers: replyHeaders, stream, usage: () => usage };
    }
    const answer = parsed(await readText(res, call, provider));
    if (typeof answer !== 'object' || answer === null) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${provider} answered with a body that is not a JSON object.`);
    }
    return { status: res.status, headers: replyHeaders, body: answer, usage: () => operation.usage(answer as Json) };
  };

  const chat: Operation = {
    url: urls.chat,
    body(request) {
      const body = bodyOf(request);
      // Always asked for, so that the stream's usage can be recorded (the inspector hides it again).
      if (request.stream) body.stream_options = Object.assign(copyOwn((body.stream_options ?? {}) as Json), { include_usage: true });
      return body;
    },
    usage: (answer) => chatUsage(answer.usage),
    inspector(request, found) {
      const asked = (request.body as { stream_options?: { include_usage?: unknown } | null }).stream_options?.include_usage === true;
      return chatStreamInspector(asked, found);
    },
  };
  const embeddings: Operation = { url: urls.embeddings, body: bodyOf, usage: (answer) => chatUsage(answer.usage), inspector: () => () => true };
  const responses: Operation = {
    url: withQuery(joinUrl(settings.baseUrl, 'responses'), settings.query),
    body: bodyOf,
    usage: (answer) => responsesUsage(answer.usage),
    inspector: (_request, found) => responsesStreamInspector(found),
  };

  return {
    [NATIVE_HANDLERS.chat]: (request, call) => forward(chat, request, call),
    [NATIVE_HANDLERS.embeddings]: (request, call) => forward(embeddings, request, call),
    [NATIVE_HANDLERS.responses]: options.azure
      ? () =>
          Promise.reject(
            createError(
              'GW_ERR_NOT_IMPLEMENTED',
              `Endpoint "${options.endpoint}" is an Azure OpenAI deployment: the Responses API passthrough serves only OpenAI's own API (openai_api_type "openai").`,
            ),
          )
      : (request, call) => forward(responses, request, call),
  };
}

/** What the client may see of OpenAI's headers: the type, OpenAI's request id (core's own is x-request-id), Retry-After. */
function answerHeaders(res: UpstreamResponse): Record<string, string> {
  const out: Record<string, string> = {};
  const pick = (name: string) => {
    const value = res.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const type = pick('content-type');
  const id = pick('x-request-id');
  const retryAfter = pick('retry-after');
  if (type) out['content-type'] = type;
  if (id) out['x-upstream-request-id'] = id;
  if (retryAfter) out['retry-after'] = retryAfter;
  return out;
}

async function readText(res: UpstreamResponse, call: CallContext, provider: string): Promise<string> {
  try {
    return await res.body.text();
  } catch (error) {
    throw transportError(error, call, provider);
  }
}

/** JSON where it parses, else the text as it is (a proxy's HTML error page, say). */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

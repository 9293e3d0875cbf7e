// Signed calls to Bedrock Runtime: every request is SigV4-signed (service `bedrock`) with the
// current credentials and sent through core's sendUpstream (the injected dispatcher, the
// call's signal and timeout).
import type { Dispatcher } from 'undici';
import {
  createError,
  guardStream,
  sendUpstream,
  transportError,
  type CallContext,
  type Clock,
  type UpstreamResponse,
} from '@gatehousejs/core';
import type { CredentialProvider } from './auth/credentials.js';
import { signRequest } from './auth/sigv4.js';
import { PROVIDER_LABEL, responseError } from './errors.js';
import { decodeEventStream, type EventStreamMessage } from './eventstream/decoder.js';

export const SIGNING_SERVICE = 'bedrock';
export const EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream';

export interface ClientSettings {
  readonly dispatcher: Dispatcher;
  /** Bedrock Runtime base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly region: string;
  readonly credentials: CredentialProvider;
  readonly clock: Clock;
}

export interface JsonAnswer {
  readonly body: unknown;
  readonly headers: UpstreamResponse['headers'];
}

export interface BedrockClient {
  /** POST a JSON body to `path` (already percent-encoded); require a 2xx JSON answer. */
  postJson(path: string, body: unknown, call: CallContext): Promise<JsonAnswer>;
  /** POST a JSON body to `path`; require a 2xx and read the answer as event-stream messages. */
  postStream(path: string, body: unknown, call: CallContext): Promise<AsyncIterable<EventStreamMessage>>;
}

/** `/model/{modelId}/{action}`; the id is one path segment (its `:` and an ARN's `/` encoded). */
export function modelPath(modelId: string, action: 'converse' | 'converse-stream' | 'invoke'): string {
  return `/model/${encodeURIComponent(modelId)}/${action}`;
}

export function createClient(settings: ClientSettings): BedrockClient {
  const { dispatcher, baseUrl, region, credentials, clock } = settings;

  async function send(path: string, body: unknown, accept: string, call: CallContext): Promise<UpstreamResponse> {
    const url = new URL(`${baseUrl}${path}`);
    const payload = JSON.stringify(body);
    const creds = await credentials.get(call);
    const headers = signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json', accept }, body: payload, service: SIGNING_SERVICE, region, now: clock.now() },
      creds,
    );
    const res = await sendUpstream(dispatcher, { provider: PROVIDER_LABEL, url: url.href, method: 'POST', headers, body: payload }, call);
    if (res.status < 200 || res.status >= 300) throw await responseError(res);
    return res;
  }

  return Object.freeze({
    async postJson(path: string, body: unknown, call: CallContext): Promise<JsonAnswer> {
      const res = await send(path, body, 'application/json', call);
      let text: string;
      try {
        text = await res.body.text();
      } catch (error) {
        throw transportError(error, call, PROVIDER_LABEL);
      }
      try {
        return { body: JSON.parse(text) as unknown, headers: res.headers };
      } catch (error) {
        throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not JSON.`, { cause: error });
      }
    },

    async postStream(path: string, body: unknown, call: CallContext): Promise<AsyncIterable<EventStreamMessage>> {
      const res = await send(path, body, EVENT_STREAM_TYPE, call);
      return guardStream(decodeEventStream(res.body, PROVIDER_LABEL), call, PROVIDER_LABEL, () => res.body.destroy());
    },
  });
}

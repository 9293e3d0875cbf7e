// POST /gateway/anthropic/v1/messages on an Anthropic endpoint: the client's body (model
// already rewritten by core) goes to Anthropic with the gateway's key; the answer comes back
// as Anthropic sent it (status, body, error bodies), streams byte for byte as they arrive.
// Usage is read from the body, or from the stream's message_start and message_delta events
// as the frames go by.
// Reference: https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/messages-streaming
import {
  createError,
  guardStream,
  sendUpstream,
  transportError,
  type CallContext,
  type NativeHandler,
  type NativeRequest,
  type NativeResponse,
  type Usage,
} from '@gatehousejs/core';
import type { Dispatcher } from 'undici';
import { PROVIDER_LABEL, toUsage } from '../response.js';
import { mergeUsage } from '../stream.js';
import type { AnthropicStreamEvent, AnthropicUsage } from '../wire.js';
import { anthropicError } from './errors.js';

export interface PassthroughTarget {
  readonly url: string;
  readonly apiKey: string;
  /** anthropic-version sent when the client sends none. */
  readonly version: string;
  readonly dispatcher: Dispatcher;
}

/** Client headers that shape Anthropic's answer; the SDKs send them. */
const FORWARDED_REQUEST_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/** Answer headers the SDKs read: request id, retry advice, rate-limit state. */
const FORWARDED_RESPONSE_HEADER = /^(?:request-id|retry-after|retry-after-ms|x-should-retry|anthropic-ratelimit-[\w-]+)$/;

const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(',') : value);

function upstreamHeaders(request: NativeRequest, target: PassthroughTarget): Record<string, string> {
  const headers: Record<string, string> = { 'x-api-key': target.apiKey, 'anthropic-version': target.version, 'content-type': 'application/json' };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = headerValue(request.headers[name]);
    if (value) headers[name] = value;
  }
  return headers;
}

function answerHeaders(headers: Record<string, string | string[] | undefined>, contentType: string): Record<string, string> {
  const out: Record<string, string> = { 'content-type': contentType };
  for (const [name, value] of Object.entries(headers)) {
    const text = headerValue(value);
    if (text !== undefined && FORWARDED_RESPONSE_HEADER.test(name)) out[name] = text;
  }
  return out;
}

/** Usage from the stream's frames, read line by line as they pass; nothing is held back. */
class StreamUsage {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private readonly usage: AnthropicUsage = {};
  private seen = false;

  push(chunk: Uint8Array | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.pending.split(/\r\n|\r|\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.read(line);
  }

  result(): Usage | undefined {
    return this.seen ? toUsage(this.usage) : undefined;
  }

  private read(line: string): void {
    // Only the two events that carry usage are parsed; text deltas are skipped unread.
    if (!line.startsWith('data:') || !/"message_(?:start|delta)"/.test(line)) return;
    let event: AnthropicStreamEvent;
    try {
      event = JSON.parse(line.slice(5)) as AnthropicStreamEvent;
    } catch {
      return;
    }
    const usage = event.type === 'message_start' ? event.message?.usage : event.type === 'message_delta' ? event.usage : undefined;
    if (usage) {
      mergeUsage(this.usage, usage);
      this.seen = true;
    }
  }
}

async function* forward(body: AsyncIterable<Uint8Array>, tally: StreamUsage, call: CallContext, release: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of guardStream(body, call, PROVIDER_LABEL, release)) {
    tally.push(chunk);
    yield chunk;
  }
}

/** An error body that is not Anthropic's JSON (a proxy's HTML page, say) is wrapped in Anthropic's shape. */
function errorJson(text: string, status: number, apiKey: string): unknown {
  const scrubbed = text.split(apiKey).join('[REDACTED]');
  try {
    return JSON.parse(scrubbed);
  } catch {
    return anthropicError(status, `${PROVIDER_LABEL} answered ${status}: ${scrubbed.trim().slice(0, 500) || 'no details'}`);
  }
}

export function messagesHandler(target: PassthroughTarget): NativeHandler {
  return async (request: NativeRequest, call: CallContext): Promise<NativeResponse> => {
    const res = await sendUpstream(
      target.dispatcher,
      { provider: PROVIDER_LABEL, url: target.url, method: 'POST', headers: upstreamHeaders(request, target), body: request.body },
      call,
    );
    const contentType = headerValue(res.headers['content-type']) ?? 'application/json';
    const ok = res.status >= 200 && res.status < 300;
    if (ok && contentType.startsWith('text/event-stream')) {
      const tally = new StreamUsage();
      return {
        status: res.status,
        headers: answerHeaders(res.headers, contentType),
        stream: forward(res.body, tally, call, () => res.body.destroy()),
        usage: () => tally.result(),
      };
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (error) {
      throw transportError(error, call, PROVIDER_LABEL);
    }
    const headers = answerHeaders(res.headers, 'application/json');
    if (!ok) return { status: res.status, headers, body: errorJson(text, res.status, target.apiKey) };
    let body: { usage?: AnthropicUsage };
    try {
      body = JSON.parse(text) as { usage?: AnthropicUsage };
    } catch (error) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not JSON.`, { cause: error });
    }
    return { status: res.status, headers, body, usage: () => (body?.usage ? toUsage(body.usage) : undefined) };
  };
}

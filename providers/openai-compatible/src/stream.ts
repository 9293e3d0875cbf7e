// OpenAI's server-sent event stream (https://platform.openai.com/docs/api-reference/chat-streaming):
// one JSON chunk per `data:` event, `data: [DONE]` at the end. Chunks are completed in place
// (this is the hot path: no copies), errors and truncation become coded errors.
import {
  createError,
  END,
  generateId,
  mapChunks,
  parseEventJson,
  SKIP,
  throwIfCancelled,
  type CallContext,
  type SSEEvent,
  type StreamChunk,
} from '@gatehousejs/core';
import { normalizeUsage, type NormalizeContext } from './normalize.js';
import { isReportedError, reportedError } from './reported-error.js';

export interface StreamKind {
  /** `object` of every chunk: 'chat.completion.chunk' or 'text_completion'. */
  readonly object: 'chat.completion.chunk' | 'text_completion';
  /** Prefix of the id made up for servers that send none. */
  readonly idPrefix: string;
}

export const CHAT_STREAM: StreamKind = Object.freeze({ object: 'chat.completion.chunk', idPrefix: 'chatcmpl' });
export const COMPLETIONS_STREAM: StreamKind = Object.freeze({ object: 'text_completion', idPrefix: 'cmpl' });

type Json = Record<string, unknown>;

/**
 * Turn an upstream's events into canonical chunks. Stops at `[DONE]`. Throws a 502 for an error
 * event, a non-JSON event, or a stream that ends without `[DONE]` while a choice is unfinished.
 * A mapping iterator rather than an async generator: this runs once per streamed chunk.
 */
export function openAIStreamChunks<T extends StreamChunk>(
  events: AsyncIterable<SSEEvent>,
  kind: StreamKind,
  ctx: NormalizeContext,
  call: CallContext,
): AsyncIterableIterator<T> {
  // Servers that omit the envelope get one id/created/model for the whole stream.
  let id: string | undefined;
  let created: number | undefined;
  let model: string | undefined;
  let done = false;
  const started = new Set<number>();
  const finished = new Set<number>();

  const chunkOf = (event: SSEEvent): T | typeof SKIP | typeof END => {
    // Events already parsed from one network read would still be passed on after an abort.
    throwIfCancelled(call, ctx.provider);
    if (event.data === '[DONE]') {
      done = true;
      return END;
    }
    if (event.event === 'error') throw reportedError(event.data, ctx.provider, 'stream');
    const chunk = parseEventJson<unknown>(event.data, ctx.provider);
    if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${ctx.provider} sent a stream event that is not a JSON object.`);
    }
    const body = chunk as Json;
    if (isReportedError(body)) throw reportedError(event.data, ctx.provider, 'stream');

    if (!Array.isArray(body.choices)) body.choices = [];
    const choices = body.choices as Json[];
    const usage = normalizeUsage(body.usage);
    // Azure opens with a chunk holding only `prompt_filter_results` (empty choices, blank id):
    // nothing an OpenAI client reads, and it would carry a made-up id.
    if (choices.length === 0 && !usage) return SKIP;
    for (const choice of choices) {
      const index = typeof choice.index === 'number' ? choice.index : 0;
      started.add(index);
      if (choice.finish_reason) finished.add(index);
      // OpenAI always sends the field (null until the last chunk); some servers (xAI) leave it out.
      else if (choice.finish_reason === undefined) choice.finish_reason = null;
    }

    body.object = kind.object;
    if (typeof body.id === 'string' && body.id !== '') id ??= body.id;
    else body.id = id ??= generateId(kind.idPrefix);
    if (typeof body.created === 'number' && body.created > 0) created ??= body.created;
    else body.created = created ??= ctx.now();
    if (typeof body.model === 'string' && body.model !== '') model ??= body.model;
    else body.model = model ??= ctx.model;
    if (usage) body.usage = usage;
    return body as T;
  };

  // Some servers end without [DONE]; that is fine once every choice has finished.
  const checkComplete = () => {
    if (!done && (finished.size === 0 || finished.size < started.size)) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${ctx.provider} closed the stream before the answer was complete.`);
    }
  };

  return mapChunks(events, chunkOf, checkComplete);
}

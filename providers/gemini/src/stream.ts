// Gemini's streamGenerateContent?alt=sse → OpenAI-format chunks, as the events arrive.
// Reference: https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
//
// Each SSE event is a whole GenerateContentResponse holding the next piece of each candidate:
// text parts are deltas, a functionCall part arrives complete (sent on as one complete tool-call
// delta with its index), `finishReason` closes a candidate, and usageMetadata is cumulative (the
// last one counts). There is no end marker: a stream that ends before every candidate it
// started has finished is cut short (502). A prompt blocked before any candidate is a 400; an
// `error` object sent as an event mid-stream is a 502 carrying Google's message.
import {
  createError,
  parseEventJson,
  type ChatChunk,
  type ChatChunkChoice,
  type CompletionsChunk,
  type FinishReason,
  type SSEEvent,
  type ToolCall,
  type Usage,
} from '@gatehousejs/core';
import { PROVIDER_LABEL, blockedPrompt, candidateIndex, finishReason, isAnswerText, partsOf, toToolCall, toUsage } from './response.js';
import type { GeminiResponse, GeminiUsageMetadata } from './wire.js';

/** What a stream says, independent of the output format; `choice` is the candidate index. */
export type StreamPart =
  | { readonly kind: 'start'; readonly choice: number }
  | { readonly kind: 'text'; readonly choice: number; readonly text: string }
  | { readonly kind: 'tool'; readonly choice: number; readonly index: number; readonly call: ToolCall }
  | { readonly kind: 'finish'; readonly choice: number; readonly reason: FinishReason }
  | { readonly kind: 'end'; readonly usage: Usage };

/** Identity of the streamed answer, filled in from the first event (responseId, modelVersion). */
export interface StreamMeta {
  id: string;
  model: string;
  readonly created: number;
}

interface CandidateState {
  tools: number;
  finished: boolean;
}

function streamError(event: GeminiResponse): Error {
  const error = event.error ?? {};
  const status = typeof error.status === 'string' ? error.status : 'error';
  const message = typeof error.message === 'string' ? error.message : 'no details';
  // Mid-stream the HTTP status is long sent: every upstream failure is a bad gateway answer.
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} stream failed (${status}): ${message}`, { upstreamBody: event });
}

/** Read Gemini's events into stream parts; throws on an error event, a blocked prompt or a cut stream. */
export async function* readGenerateStream(events: AsyncIterable<SSEEvent>, meta: StreamMeta): AsyncGenerator<StreamPart> {
  const states = new Map<number, CandidateState>();
  let usage: GeminiUsageMetadata | undefined;
  let first = true;
  for await (const sse of events) {
    if (sse.data.trim() === '') continue;
    const event = parseEventJson<GeminiResponse>(sse.data, PROVIDER_LABEL);
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not an object.`);
    }
    if (event.error !== undefined && event.error !== null) throw streamError(event);
    if (first) {
      if (typeof event.responseId === 'string' && event.responseId) meta.id = event.responseId;
      if (typeof event.modelVersion === 'string' && event.modelVersion) meta.model = event.modelVersion;
      first = false;
    }
    if (typeof event.usageMetadata === 'object' && event.usageMetadata !== null) usage = event.usageMetadata;
    const candidates = Array.isArray(event.candidates) ? event.candidates : [];
    if (candidates.length === 0 && event.promptFeedback?.blockReason) throw blockedPrompt(event.promptFeedback, event);
    for (let position = 0; position < candidates.length; position++) {
      const candidate = candidates[position];
      if (typeof candidate !== 'object' || candidate === null) continue;
      const choice = candidateIndex(candidate, position);
      let state = states.get(choice);
      if (!state) {
        state = { tools: 0, finished: false };
        states.set(choice, state);
        yield { kind: 'start', choice };
      }
      if (state.finished) continue;
      const parts = partsOf(candidate);
      const text = parts.filter(isAnswerText).map((p) => p.text).join('');
      if (text !== '') yield { kind: 'text', choice, text };
      for (const part of parts) {
        if (typeof part.functionCall === 'object' && part.functionCall !== null) {
          yield { kind: 'tool', choice, index: state.tools++, call: toToolCall(part) };
        }
      }
      if (typeof candidate.finishReason === 'string' && candidate.finishReason !== '') {
        state.finished = true;
        yield { kind: 'finish', choice, reason: finishReason(candidate.finishReason, state.tools > 0) };
      }
    }
  }
  if (states.size === 0 || [...states.values()].some((s) => !s.finished)) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ended the stream before a finish reason (the answer is incomplete).`);
  }
  yield { kind: 'end', usage: toUsage(usage) };
}

export async function* toChatChunks(parts: AsyncIterable<StreamPart>, meta: StreamMeta, includeUsage: boolean): AsyncGenerator<ChatChunk> {
  const chunk = (choice: ChatChunkChoice): ChatChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [choice],
  });
  for await (const part of parts) {
    switch (part.kind) {
      case 'start':
        yield chunk({ index: part.choice, delta: { role: 'assistant', content: '' }, finish_reason: null });
        break;
      case 'text':
        yield chunk({ index: part.choice, delta: { content: part.text }, finish_reason: null });
        break;
      case 'tool': {
        const { id, type, function: fn, ...extra } = part.call;
        yield chunk({
          index: part.choice,
          delta: { tool_calls: [{ index: part.index, id, type, function: { name: fn.name, arguments: fn.arguments }, ...extra }] },
          finish_reason: null,
        });
        break;
      }
      case 'finish':
        yield chunk({ index: part.choice, delta: {}, finish_reason: part.reason });
        break;
      case 'end':
        if (includeUsage) {
          yield { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: part.usage };
        }
        break;
    }
  }
}

export async function* toCompletionsChunks(parts: AsyncIterable<StreamPart>, meta: StreamMeta, includeUsage: boolean): AsyncGenerator<CompletionsChunk> {
  const chunk = (index: number, text: string, finish: FinishReason): CompletionsChunk => ({
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index, text, finish_reason: finish, logprobs: null }],
  });
  for await (const part of parts) {
    switch (part.kind) {
      case 'text':
        yield chunk(part.choice, part.text, null);
        break;
      case 'finish':
        // A completion asks for no tools: STOP is 'stop' even if a call slipped through.
        yield chunk(part.choice, '', part.reason === 'tool_calls' ? 'stop' : part.reason);
        break;
      case 'end':
        if (includeUsage) {
          yield { id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [], usage: part.usage };
        }
        break;
      default:
        // No role chunk in OpenAI's completions streams.
        break;
    }
  }
}

/**
 * Wait for a stream's first chunk before handing the stream over, so that what Gemini says at
 * once (a blocked prompt, an error event, an empty stream) fails the call with its own status
 * instead of arriving as an error event after the response has started. Only that one chunk is
 * held; the rest flows as it arrives. Closing the result closes the source (and the socket).
 */
export async function startStream<T>(source: AsyncGenerator<T>): Promise<AsyncIterableIterator<T>> {
  const first = await source.next();
  let pending: IteratorResult<T> | undefined = first;
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next(): Promise<IteratorResult<T>> {
      if (pending) {
        const result = pending;
        pending = undefined;
        return result;
      }
      return source.next();
    },
    async return(value?: unknown): Promise<IteratorResult<T>> {
      pending = undefined;
      await source.return(undefined);
      return { done: true, value: value as T };
    },
  };
  return iterator;
}

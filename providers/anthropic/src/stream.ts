// Anthropic's streamed Message (server-sent events) → OpenAI-format chunks.
// Reference: https://docs.anthropic.com/en/api/messages-streaming
//
// Event flow: message_start, then per content block content_block_start /
// content_block_delta* / content_block_stop, then message_delta (stop_reason, cumulative
// usage) and message_stop; `ping` may come at any time, `error` ends the stream. Unknown
// event and delta types are skipped (Anthropic's versioning policy may add them).
import {
  createError,
  parseEventJson,
  type ChatChunk,
  type ChatChunkChoice,
  type CompletionsChunk,
  type FinishReason,
  type SSEEvent,
  type Usage,
} from '@gatehousejs/core';
import { PROVIDER_LABEL, finishReason, toUsage } from './response.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './wire.js';

/** What a Message stream says, independent of the output format. */
export type StreamPart =
  | { readonly kind: 'start' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'toolStart'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly kind: 'toolArgs'; readonly index: number; readonly args: string }
  | { readonly kind: 'finish'; readonly reason: FinishReason }
  | { readonly kind: 'end'; readonly usage: Usage };

/** Identity of the streamed message, filled in from message_start. */
export interface StreamMeta {
  id: string;
  model: string;
  readonly created: number;
}

function mergeUsage(into: AnthropicUsage, from: AnthropicUsage | undefined): void {
  if (!from) return;
  for (const [key, value] of Object.entries(from)) if (value !== null && value !== undefined) into[key] = value;
}

function streamError(event: AnthropicStreamEvent): Error {
  const type = event.error?.type ?? 'error';
  const message = event.error?.message ?? 'no details';
  // Mid-stream the HTTP status is long sent: every upstream failure is a bad gateway answer.
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} stream failed (${type}): ${message}`, { upstreamBody: event });
}

/** Read Anthropic's events into stream parts; throws on an error event or a stream cut short. */
export async function* readMessageStream(events: AsyncIterable<SSEEvent>, meta: StreamMeta): AsyncGenerator<StreamPart> {
  const usage: AnthropicUsage = {};
  // Content-block index → tool-call index (OpenAI counts tool calls, not content blocks).
  const toolIndex = new Map<number, number>();
  for await (const sse of events) {
    const event = parseEventJson<AnthropicStreamEvent>(sse.data, PROVIDER_LABEL);
    if (typeof event !== 'object' || event === null) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not an object.`);
    }
    switch (event.type ?? sse.event) {
      case 'message_start':
        if (typeof event.message?.id === 'string') meta.id = event.message.id;
        if (typeof event.message?.model === 'string' && event.message.model) meta.model = event.message.model;
        mergeUsage(usage, event.message?.usage);
        yield { kind: 'start' };
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block?.type === 'tool_use') {
          const index = toolIndex.size;
          toolIndex.set(Number(event.index), index);
          yield { kind: 'toolStart', index, id: String(block.id), name: String(block.name) };
        } else if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') {
          yield { kind: 'text', text: block.text };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
          yield { kind: 'text', text: delta.text };
        } else if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string' && delta.partial_json !== '') {
          // Input of a block that is not a client tool_use (a server tool's) has no OpenAI form.
          const index = toolIndex.get(Number(event.index));
          if (index !== undefined) yield { kind: 'toolArgs', index, args: delta.partial_json };
        }
        // thinking_delta, signature_delta, citations_delta: nothing to say in OpenAI's format.
        break;
      }
      case 'message_delta':
        mergeUsage(usage, event.usage);
        if (event.delta?.stop_reason) yield { kind: 'finish', reason: finishReason(event.delta.stop_reason) };
        break;
      case 'message_stop':
        yield { kind: 'end', usage: toUsage(usage) };
        return;
      case 'error':
        throw streamError(event);
      default:
        // ping, content_block_stop, and event types added later.
        break;
    }
  }
  throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ended the stream before message_stop (the answer is incomplete).`);
}

export async function* toChatChunks(parts: AsyncIterable<StreamPart>, meta: StreamMeta, includeUsage: boolean): AsyncGenerator<ChatChunk> {
  const chunk = (choice: Omit<ChatChunkChoice, 'index'>): ChatChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, ...choice }],
  });
  for await (const part of parts) {
    switch (part.kind) {
      case 'start':
        yield chunk({ delta: { role: 'assistant', content: '' }, finish_reason: null });
        break;
      case 'text':
        yield chunk({ delta: { content: part.text }, finish_reason: null });
        break;
      case 'toolStart':
        yield chunk({
          delta: { tool_calls: [{ index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] },
          finish_reason: null,
        });
        break;
      case 'toolArgs':
        yield chunk({ delta: { tool_calls: [{ index: part.index, function: { arguments: part.args } }] }, finish_reason: null });
        break;
      case 'finish':
        yield chunk({ delta: {}, finish_reason: part.reason });
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
  const chunk = (text: string, finish: FinishReason): CompletionsChunk => ({
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, text, finish_reason: finish, logprobs: null }],
  });
  for await (const part of parts) {
    switch (part.kind) {
      case 'text':
        yield chunk(part.text, null);
        break;
      case 'finish':
        yield chunk('', part.reason);
        break;
      case 'end':
        if (includeUsage) {
          yield { id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [], usage: part.usage };
        }
        break;
      default:
        // No role chunk in OpenAI's completions streams; a completion asks for no tools.
        break;
    }
  }
}

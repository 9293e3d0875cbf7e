// ConverseStream event-stream messages → OpenAI-format chunks, as they arrive.
// Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
// and https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
//
// Each message carries `:message-type` (event, exception or error) and, for events,
// `:event-type` naming the member: messageStart, contentBlockStart (a toolUse's id and name),
// contentBlockDelta (text or a piece of toolUse.input), contentBlockStop, messageStop
// (stopReason), then metadata (usage). The payload is the member's JSON.
import {
  createError,
  type ChatChunk,
  type ChatChunkChoice,
  type CompletionsChunk,
  type FinishReason,
  type Usage,
} from '@gatehousejs/core';
import { PROVIDER_LABEL, streamExceptionError } from '../errors.js';
import { stringHeader, type EventStreamMessage } from '../eventstream/decoder.js';
import type { StreamEventPayload } from '../wire.js';
import { finishReason, toUsage } from './response.js';

/** What a Converse stream says, independent of the output format. */
export type StreamPart =
  | { readonly kind: 'start' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'toolStart'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly kind: 'toolArgs'; readonly index: number; readonly args: string }
  | { readonly kind: 'finish'; readonly reason: FinishReason }
  | { readonly kind: 'end'; readonly usage: Usage };

export interface StreamMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

const decoder = new TextDecoder();

function payloadJson(message: EventStreamMessage): StreamEventPayload {
  const text = decoder.decode(message.payload);
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not JSON.`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not an object.`);
  }
  return value as StreamEventPayload;
}

/** Read ConverseStream's messages into stream parts; throws on an exception or a stream cut short. */
export async function* readConverseStream(messages: AsyncIterable<EventStreamMessage>): AsyncGenerator<StreamPart> {
  // Content-block index → tool-call index (OpenAI counts tool calls, not content blocks).
  const toolIndex = new Map<number, number>();
  let stopped = false;
  let usage: Usage | undefined;
  for await (const message of messages) {
    const messageType = stringHeader(message, ':message-type');
    if (messageType === 'exception') {
      const payload = payloadJson(message);
      throw streamExceptionError(stringHeader(message, ':exception-type'), typeof payload.message === 'string' ? payload.message : 'no details', payload);
    }
    if (messageType === 'error') {
      throw streamExceptionError(stringHeader(message, ':error-code'), stringHeader(message, ':error-message') ?? 'no details');
    }
    if (messageType !== 'event') continue;
    const event = payloadJson(message);
    switch (stringHeader(message, ':event-type')) {
      case 'messageStart':
        yield { kind: 'start' };
        break;
      case 'contentBlockStart': {
        const tool = event.start?.toolUse;
        if (tool) {
          const index = toolIndex.size;
          toolIndex.set(Number(event.contentBlockIndex), index);
          yield { kind: 'toolStart', index, id: String(tool.toolUseId), name: String(tool.name) };
        }
        break;
      }
      case 'contentBlockDelta': {
        const delta = event.delta;
        if (typeof delta?.text === 'string' && delta.text !== '') {
          yield { kind: 'text', text: delta.text };
        } else if (typeof delta?.toolUse?.input === 'string' && delta.toolUse.input !== '') {
          const index = toolIndex.get(Number(event.contentBlockIndex));
          if (index !== undefined) yield { kind: 'toolArgs', index, args: delta.toolUse.input };
        }
        // reasoningContent and citation deltas have no place in OpenAI's chunks.
        break;
      }
      case 'messageStop':
        stopped = true;
        yield { kind: 'finish', reason: finishReason(event.stopReason) };
        break;
      case 'metadata':
        usage = toUsage(event.usage);
        break;
      default:
        // contentBlockStop, and event types added later.
        break;
    }
  }
  if (!stopped) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ended the stream before messageStop (the answer is incomplete).`);
  }
  yield { kind: 'end', usage: usage ?? toUsage(undefined) };
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
        if (includeUsage) yield { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: part.usage };
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
    if (part.kind === 'text') yield chunk(part.text, null);
    else if (part.kind === 'finish') yield chunk('', part.reason);
    else if (part.kind === 'end' && includeUsage) {
      yield { id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [], usage: part.usage };
    }
  }
}

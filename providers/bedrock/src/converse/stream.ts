// ConverseStream event-stream messages → OpenAI-format chunks, as they arrive.
// Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
// and https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
//
// Each message carries `:message-type` (event, exception or error) and, for events,
// `:event-type` naming the member: messageStart, contentBlockStart (a toolUse's id and name),
// contentBlockDelta (text or a piece of toolUse.input), contentBlockStop, messageStop
// (stopReason), then metadata (usage). The payload is the member's JSON.
// The parts become OpenAI chunks through core's toChatChunks / toCompletionsChunks.
import { createError, type StreamPart, type Usage } from '@gatehousejs/core';
import { PROVIDER_LABEL, streamExceptionError } from '../errors.js';
import { stringHeader, type EventStreamMessage } from '../eventstream/decoder.js';
import type { StreamEventPayload } from '../wire.js';
import { finishReason, toUsage } from './response.js';

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

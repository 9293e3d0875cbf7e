// Anthropic's streamed Message (server-sent events) → OpenAI-format chunks.
// Reference: https://docs.anthropic.com/en/api/messages-streaming
//
// Event flow: message_start, then per content block content_block_start /
// content_block_delta* / content_block_stop, then message_delta (stop_reason, cumulative
// usage) and message_stop; `ping` may come at any time, `error` ends the stream. Unknown
// event and delta types are skipped (Anthropic's versioning policy may add them).
// The parts become OpenAI chunks through core's toChatChunks / toCompletionsChunks.
import { createError, parseEventJson, type SSEEvent, type StreamMeta, type StreamPart } from '@gatehousejs/core';
import { PROVIDER_LABEL, finishReason, toUsage } from './response.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './wire.js';

/** Anthropic's usage counts are cumulative: a later event's values replace earlier ones. */
export function mergeUsage(into: AnthropicUsage, from: AnthropicUsage | undefined): void {
  if (!from) return;
  for (const [key, value] of Object.entries(from)) if (value !== null && value !== undefined) into[key] = value;
}

function streamError(event: AnthropicStreamEvent): Error {
  const type = event.error?.type ?? 'error';
  const message = event.error?.message ?? 'no details';
  // Mid-stream the HTTP status is long sent: every upstream failure is a bad gateway answer.
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} stream failed (${type}): ${message}`, { upstreamBody: event });
}

/**
 * Read Anthropic's events into stream parts, filling in `meta`'s id and model from message_start;
 * throws on an error event or a stream cut short.
 */
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

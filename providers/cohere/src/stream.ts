// Cohere's v2 chat stream (server-sent events) → OpenAI-format chunks, as events arrive.
// Reference: https://docs.cohere.com/reference/chat-stream, https://docs.cohere.com/docs/streaming,
// https://docs.cohere.com/docs/tool-use-streaming
//
// Event flow: message-start (id), then content-start / content-delta* / content-end per
// content block (text, or `thinking` on reasoning models, which is skipped); on a tool-calling
// turn tool-plan-delta* then, per call, tool-call-start (id, name) / tool-call-delta*
// (argument pieces) / tool-call-end; citation-start / citation-end may come; message-end
// carries finish_reason and usage and ends the answer. Unknown event types are skipped.
// The parts become OpenAI chunks through core's toChatChunks / toCompletionsChunks.
import { createError, parseEventJson, throwIfCancelled, type CallContext, type SSEEvent, type StreamMeta, type StreamPart } from '@gatehousejs/core';
import { PROVIDER_LABEL, argumentsText, finishReason, generationError, isFailure, toUsage } from './response.js';
import type { CohereResponseToolCall, CohereStreamEvent } from './wire.js';

function firstCall(calls: CohereResponseToolCall | CohereResponseToolCall[] | null | undefined): CohereResponseToolCall | undefined {
  return Array.isArray(calls) ? calls[0] : (calls ?? undefined);
}

/**
 * Read Cohere's events into stream parts, filling in `meta`'s id from message-start; throws on an
 * error, a failed generation or a stream cut short.
 */
export async function* readChatStream(events: AsyncIterable<SSEEvent>, meta: StreamMeta, call: CallContext): AsyncGenerator<StreamPart> {
  // Cohere's tool-call index → OpenAI's tool-call index (counted from 0 in order of appearance).
  const toolIndex = new Map<number, number>();
  let calls = 0;
  let current = -1;
  let started = false;
  for await (const sse of events) {
    // Events already parsed from one network read would still be yielded after an abort.
    throwIfCancelled(call, PROVIDER_LABEL);
    if (sse.data === '[DONE]') continue;
    const event = parseEventJson<CohereStreamEvent>(sse.data, PROVIDER_LABEL);
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not a JSON object.`);
    }
    const type = event.type ?? sse.event;
    const message = event.delta?.message;
    // OpenAI clients expect the role chunk first, even if message-start went missing.
    if (!started && type !== 'message-start' && (type === 'content-delta' || type === 'tool-plan-delta' || type === 'tool-call-start')) {
      started = true;
      yield { kind: 'start' };
    }
    switch (type) {
      case 'message-start':
        if (typeof event.id === 'string' && event.id !== '') meta.id = event.id;
        if (!started) {
          started = true;
          yield { kind: 'start' };
        }
        break;
      case 'content-start':
      case 'content-delta': {
        // Only text blocks are answer text; `thinking` blocks carry reasoning and are left out.
        const text = message?.content?.text;
        if (typeof text === 'string' && text !== '') yield { kind: 'text', text };
        break;
      }
      case 'tool-plan-delta': {
        // The tool plan is the text of a tool-calling turn (as in the non-streamed answer).
        const plan = message?.tool_plan;
        if (typeof plan === 'string' && plan !== '') yield { kind: 'text', text: plan };
        break;
      }
      case 'tool-call-start': {
        const tool = firstCall(message?.tool_calls);
        const name = tool?.function?.name;
        if (typeof name !== 'string' || name === '') {
          throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} started a tool call without a function name.`);
        }
        current = calls++;
        if (typeof event.index === 'number') toolIndex.set(event.index, current);
        yield { kind: 'toolStart', index: current, id: typeof tool?.id === 'string' && tool.id !== '' ? tool.id : `call_${current}`, name };
        const args = tool?.function?.arguments;
        if (args !== undefined && args !== null && args !== '') yield { kind: 'toolArgs', index: current, args: argumentsText(args) };
        break;
      }
      case 'tool-call-delta': {
        const args = firstCall(message?.tool_calls)?.function?.arguments;
        const index = typeof event.index === 'number' ? (toolIndex.get(event.index) ?? current) : current;
        if (index < 0) throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent tool-call arguments before any tool-call-start.`);
        if (typeof args === 'string' && args !== '') yield { kind: 'toolArgs', index, args };
        break;
      }
      case 'message-end': {
        const reason = event.delta?.finish_reason;
        if (isFailure(reason)) throw generationError(String(reason), event.delta?.error ?? undefined);
        yield { kind: 'finish', reason: finishReason(reason) };
        yield { kind: 'end', usage: toUsage(event.delta?.usage) };
        return;
      }
      case 'error':
        // Mid-stream the HTTP status is long sent: every upstream failure is a bad gateway answer.
        throw createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} stream failed: ${event.message ?? event.delta?.error ?? sse.data.slice(0, 500)}`, {
          upstreamBody: event,
        });
      default:
        // content-end, tool-call-end, citation-start, citation-end, debug, and types added later.
        break;
    }
  }
  throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ended the stream before message-end (the answer is incomplete).`);
}

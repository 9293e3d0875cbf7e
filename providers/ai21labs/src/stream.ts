// AI21's chat completions stream (server-sent events of OpenAI-like chunks) → OpenAI chunks,
// as they arrive. Reference: https://docs.ai21.com/reference/jamba-api-response ("Streamed
// results": every `data:` is a JSON chunk with id and one choice (index 0) whose delta is first
// {"role":"assistant"} then {"content": token}; usage is null except on the last chunk; the final
// message is `data: [DONE]`). Tool-call deltas follow OpenAI's shape (index, id, function name,
// argument pieces).
// The parts become OpenAI chunks through core's toChatChunks / toCompletionsChunks; AI21's
// tool-call deltas are already in OpenAI's shape and pass on as `toolDelta` parts.
import {
  createError,
  parseEventJson,
  throwIfCancelled,
  upstreamErrorMessage,
  type CallContext,
  type SSEEvent,
  type StreamMeta,
  type StreamPart,
  type ToolCallDelta,
  type Usage,
} from '@gatehousejs/core';
import { PROVIDER_LABEL, finishReason, toUsage } from './jamba.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function streamError(raw: string): Error {
  const { message, body } = upstreamErrorMessage(raw);
  // Mid-stream the HTTP status is long sent: every upstream failure is a bad gateway answer.
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} reported an error mid-stream: ${message}`, { upstreamBody: body });
}

function toolDelta(value: unknown, position: number): ToolCallDelta {
  const call = isObject(value) ? value : {};
  const out: ToolCallDelta = { index: typeof call.index === 'number' ? call.index : position };
  if (typeof call.id === 'string' && call.id !== '') out.id = call.id;
  if (isObject(call.function)) {
    const fn: { name?: string; arguments?: string } = {};
    if (typeof call.function.name === 'string' && call.function.name !== '') fn.name = call.function.name;
    const args = call.function.arguments;
    if (typeof args === 'string') fn.arguments = args;
    else if (isObject(args)) fn.arguments = JSON.stringify(args);
    out.function = fn;
  }
  if (out.id !== undefined || out.function?.name !== undefined) out.type = 'function';
  return out;
}

/**
 * Read AI21's chunks into stream parts, filling in `meta`'s id and model from the first chunk that
 * has them; throws on an error event, a non-JSON event or a stream cut short.
 */
export async function* readChatStream(events: AsyncIterable<SSEEvent>, meta: StreamMeta, call: CallContext): AsyncGenerator<StreamPart> {
  let started = false;
  let finished = false;
  let usage: Usage | undefined;
  for await (const sse of events) {
    // Events already parsed from one network read would still be yielded after an abort.
    throwIfCancelled(call, PROVIDER_LABEL);
    if (sse.data === '[DONE]') {
      if (!finished) break;
      yield { kind: 'end', usage };
      return;
    }
    if (sse.event === 'error') throw streamError(sse.data);
    const chunk = parseEventJson<unknown>(sse.data, PROVIDER_LABEL);
    if (!isObject(chunk)) throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not a JSON object.`);
    if ((chunk.error !== undefined && chunk.error !== null) || chunk.detail !== undefined) throw streamError(sse.data);
    if (typeof chunk.id === 'string' && chunk.id !== '' && !started) meta.id = chunk.id;
    if (typeof chunk.model === 'string' && chunk.model !== '' && !started) meta.model = chunk.model;
    const choice = Array.isArray(chunk.choices) && isObject(chunk.choices[0]) ? chunk.choices[0] : undefined;
    const delta = isObject(choice?.delta) ? choice.delta : {};
    if (choice && !started) {
      started = true;
      yield { kind: 'start' };
    }
    if (typeof delta.content === 'string' && delta.content !== '') yield { kind: 'text', text: delta.content };
    if (Array.isArray(delta.tool_calls)) {
      for (const [position, value] of delta.tool_calls.entries()) yield { kind: 'toolDelta', delta: toolDelta(value, position) };
    }
    if (choice?.finish_reason !== undefined && choice.finish_reason !== null && !finished) {
      finished = true;
      yield { kind: 'finish', reason: finishReason(choice.finish_reason) };
    }
    usage = toUsage(chunk.usage) ?? usage;
  }
  // A stream may end without [DONE] once the answer has finished; before that it is cut short.
  if (!finished) throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} closed the stream before the answer was complete.`);
  yield { kind: 'end', usage };
}

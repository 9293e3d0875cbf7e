// Mistral's answers (https://docs.mistral.ai/api/#tag/chat) brought to OpenAI's exact shapes,
// after the shared base has checked them and filled the envelope:
// - content given as a list of chunks (reasoning models) becomes a string; `thinking` chunks go
//   to `reasoning_content`;
// - finish_reason `model_length` becomes `length`; `error` is a 502;
// - tool-call arguments given as an object become a JSON string;
// - streams: every tool call arrives whole in one delta; each gets an index by its id (so two
//   calls never share one), `type: 'function'`; the usage Mistral puts on its last chunk is sent
//   as OpenAI's separate usage chunk (`choices: []`) when the client asked for it.
import {
  createError,
  type ChatChunk,
  type ChatResponse,
  type FinishReason,
} from '@gatehousejs/core';
import { separateUsage } from '@gatehousejs/provider-openai-compatible';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = Object.freeze({
  stop: 'stop',
  length: 'length',
  model_length: 'length',
  tool_calls: 'tool_calls',
});

function finishReason(value: unknown): FinishReason {
  if (value === null || value === undefined) return null;
  if (value === 'error') throw createError('GW_ERR_UPSTREAM_ERROR', 'Mistral stopped generating with finish_reason "error".');
  return FINISH_REASONS[value as string] ?? (value as FinishReason);
}

function chunkText(part: unknown): string {
  return isObject(part) && typeof part.text === 'string' ? part.text : '';
}

/** A message or delta whose content is a list of chunks gets string content (and reasoning). */
function flattenContent(message: Json): void {
  if (!Array.isArray(message.content)) return;
  let text = '';
  let reasoning = '';
  for (const part of message.content as unknown[]) {
    if (!isObject(part)) continue;
    if (part.type === 'text') text += chunkText(part);
    else if (part.type === 'thinking' && Array.isArray(part.thinking)) reasoning += part.thinking.map(chunkText).join('');
  }
  message.content = text;
  if (reasoning) message.reasoning_content = reasoning;
}

function stringArguments(call: unknown): void {
  if (isObject(call) && isObject(call.function) && isObject(call.function.arguments)) {
    call.function.arguments = JSON.stringify(call.function.arguments);
  }
}

export function fixChatResponse(res: ChatResponse): ChatResponse {
  for (const choice of res.choices) {
    flattenContent(choice.message);
    choice.finish_reason = finishReason(choice.finish_reason);
    choice.message.tool_calls?.forEach(stringArguments);
  }
  return res;
}

/** Index of each tool call by its id, per choice. */
class ToolCallIndex {
  private readonly byId = new Map<string, number>();
  private readonly next = new Map<number, number>();

  fix(call: unknown, choice: number): void {
    if (!isObject(call)) return;
    stringArguments(call);
    if (typeof call.id !== 'string' || call.id === '') {
      if (typeof call.index !== 'number') call.index = 0;
      return;
    }
    const key = `${choice}\u0000${call.id}`;
    let index = this.byId.get(key);
    if (index === undefined) {
      index = this.next.get(choice) ?? 0;
      this.next.set(choice, index + 1);
      this.byId.set(key, index);
    }
    call.index = index;
    call.type ??= 'function';
  }
}

export function fixChatChunks(chunks: AsyncIterable<ChatChunk>, includeUsage: boolean): AsyncGenerator<ChatChunk> {
  const toolCalls = new ToolCallIndex();
  return separateUsage(chunks, includeUsage, (chunk) => {
    for (const choice of chunk.choices) {
      flattenContent(choice.delta);
      choice.finish_reason = finishReason(choice.finish_reason);
      choice.delta.tool_calls?.forEach((call) => toolCalls.fix(call, choice.index));
    }
  });
}

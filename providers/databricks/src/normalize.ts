// What Databricks answers differently from OpenAI, mended after the shared base has read it.
// Reference: https://docs.databricks.com/en/machine-learning/foundation-model-apis/api-reference.html
//
// - Content as a list: reasoning models answer `content: [{type: "reasoning", summary: [...]},
//   {type: "text", text}]` (ContentItem: TextContent, ImageContent, ReasoningContent), in answers
//   and stream deltas. OpenAI clients read a string: the text parts are joined into `content`,
//   the reasoning summaries go to `reasoning_content` (the field DeepSeek and vLLM use).
// - Usage in streams: chunks carry `usage` as they go (often partial: completion_tokens null
//   until the end). OpenAI sends it once, in a last chunk with no choices, when asked: the
//   provider keeps the last usage seen and sends it so.
// - Custom models answer in their own shape ({"predictions": ...}): the base's 502 says so.
import {
  createError,
  isGatewayError,
  type ChatChunk,
  type ChatResponse,
  type StreamChunk,
  type Usage,
} from '@gatehousejs/core';
import { PROVIDER_LABEL } from './api.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text and reasoning of a content list; undefined when the content is not a list. */
function splitContent(content: unknown): { text: string; reasoning: string } | undefined {
  if (!Array.isArray(content)) return undefined;
  let text = '';
  let reasoning = '';
  for (const part of content) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'reasoning' && Array.isArray(part.summary)) {
      for (const item of part.summary) if (isObject(item) && typeof item.text === 'string') reasoning += item.text;
    }
  }
  return { text, reasoning };
}

/** A message or delta with list content, flattened in place. */
function flattenContent(message: Json): void {
  const parts = splitContent(message.content);
  if (!parts) return;
  message.content = parts.text;
  if (parts.reasoning !== '') message.reasoning_content = parts.reasoning;
}

export function normalizeChat(response: ChatResponse): ChatResponse {
  for (const choice of response.choices) {
    flattenContent(choice.message);
    // A reasoning-only or tool-call-only answer has no text.
    if (choice.message.content === '' && (choice.message.tool_calls?.length ?? 0) > 0) choice.message.content = null;
  }
  return response;
}

/**
 * Chunks with list content flattened and usage moved to one last chunk (sent when the caller
 * asked for usage). Chunks are mended in place: this is the hot path.
 */
export async function* normalizeStream<T extends StreamChunk>(chunks: AsyncIterable<T>, includeUsage: boolean, chat: boolean): AsyncGenerator<T> {
  let usage: Usage | undefined;
  let last: T | undefined;
  for await (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    delete chunk.usage;
    if (chunk.choices.length === 0) continue;
    if (chat) for (const choice of (chunk as ChatChunk).choices) flattenContent(choice.delta as Json);
    last = chunk;
    yield chunk;
  }
  if (includeUsage && usage && last) {
    yield { id: last.id, object: last.object, created: last.created, model: last.model, choices: [], usage } as unknown as T;
  }
}

/** The base's 502 for an answer that is not OpenAI's shape, with what it most likely means here. */
export function explainShape(error: unknown): unknown {
  if (isGatewayError(error) && error.code === 'GW_ERR_UPSTREAM_BAD_RESPONSE' && error.message.startsWith(`${PROVIDER_LABEL} answered`)) {
    return createError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      `${error.message.replace(/\.$/, '')}: the serving endpoint does not answer in the Foundation Model API (OpenAI) format; a custom model must return chat, completions or embeddings answers in that format.`,
      { cause: error },
    );
  }
  return error;
}

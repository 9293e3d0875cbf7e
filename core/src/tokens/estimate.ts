// Token estimates for rate limits and for providers whose API reports no usage. OpenAI model
// families are counted with their real encoding (gpt-tokenizer); every other model with the
// approximation of about four characters a token, rounded up (OpenAI's rule of thumb for
// English text: other languages and code run higher, so limits built on it are approximate).
import type { ChatMessage, ContentPart, ToolDefinition } from '../api/openai-types.js';
import { AS_TEXT, encoder, encodingFor } from './encodings.js';

/** OpenAI's chat framing: tokens around every message, for a name, and to prime the reply. */
export const MESSAGE_OVERHEAD = 3;
export const NAME_OVERHEAD = 1;
export const REPLY_PRIMING = 3;
/**
 * An image's input cost without knowing its size: OpenAI's 85 base tokens at low detail, and
 * a 1024×1024 image (85 + 4 tiles × 170) otherwise.
 */
export const IMAGE_TOKENS_LOW = 85;
export const IMAGE_TOKENS = 765;

/** Tokens in `text`: the model's own encoding for OpenAI families, else ⌈characters / 4⌉. */
export function estimateTokens(text: string, model?: string): number {
  if (text.length === 0) return 0;
  const encoding = encodingFor(model);
  if (encoding) return encoder(encoding).countTokens(text, AS_TEXT);
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Input tokens of a chat, completions or embeddings body (OpenAI's format) for `model`:
 * messages with their framing, content parts, tool definitions; prompts; embedding inputs
 * (token arrays counted as they are).
 */
export function estimateRequestTokens(request: Readonly<Record<string, unknown>>, model: string | undefined): number {
  if (Array.isArray(request.messages)) {
    return chatTokens(request.messages as ChatMessage[], model) + toolTokens(request.tools as ToolDefinition[] | undefined, model);
  }
  if (request.prompt !== undefined) return inputTokens(request.prompt, model);
  return inputTokens(request.input, model);
}

function chatTokens(messages: readonly ChatMessage[], model: string | undefined): number {
  let total = REPLY_PRIMING;
  for (const message of messages) {
    total += MESSAGE_OVERHEAD + estimateTokens(String(message.role ?? ''), model);
    if (typeof message.name === 'string') total += NAME_OVERHEAD + estimateTokens(message.name, model);
    total += contentTokens(message.content, model);
    for (const call of message.tool_calls ?? []) {
      total += estimateTokens(call.function?.name ?? '', model) + estimateTokens(call.function?.arguments ?? '', model);
    }
  }
  return total;
}

function contentTokens(content: ChatMessage['content'] | undefined, model: string | undefined): number {
  if (typeof content === 'string') return estimateTokens(content, model);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content as ContentPart[]) {
    if (typeof part.text === 'string') total += estimateTokens(part.text, model);
    else if (part.type === 'image_url') total += part.image_url?.detail === 'low' ? IMAGE_TOKENS_LOW : IMAGE_TOKENS;
    // Audio, files and parts yet to come: their JSON's size stands in.
    else total += estimateTokens(JSON.stringify(part), undefined);
  }
  return total;
}

/** OpenAI renders tool definitions into the system prompt; their JSON is a close stand-in. */
function toolTokens(tools: readonly ToolDefinition[] | undefined, model: string | undefined): number {
  if (!Array.isArray(tools) || tools.length === 0) return 0;
  return estimateTokens(JSON.stringify(tools), model);
}

function inputTokens(input: unknown, model: string | undefined): number {
  if (typeof input === 'string') return estimateTokens(input, model);
  if (!Array.isArray(input)) return 0;
  // A token array (numbers) is already counted; a list holds strings or token arrays.
  if (input.every((item) => typeof item === 'number')) return input.length;
  return input.reduce<number>((sum, item) => sum + inputTokens(item, model), 0);
}

// A provider's stream in neutral parts → OpenAI-format chunks (chat.completion.chunk or
// text_completion), as the parts arrive. A provider reads its own wire format into
// `StreamPart`s once; these two generators give both OpenAI stream shapes from them.
//
// Shape (https://platform.openai.com/docs/api-reference/chat-streaming): one choice (index 0);
// the role chunk first, then content deltas, tool-call deltas (a start with id and name and
// empty arguments, then argument pieces, each with the tool call's index), a chunk with the
// finish reason and an empty delta, and, only when the client asked with
// stream_options.include_usage, a last chunk with `choices: []` and the usage.
import type { ChatChunk, ChatChunkChoice, CompletionsChunk, FinishReason, ToolCallDelta, Usage } from '../api/openai-types.js';

/** What a single-choice stream says, independent of the output format. */
export type StreamPart =
  /** The answer has started: the role chunk of a chat stream. */
  | { readonly kind: 'start' }
  /** A piece of answer text. */
  | { readonly kind: 'text'; readonly text: string }
  /** A tool call begins (`index` counts tool calls from 0 in order of appearance). */
  | { readonly kind: 'toolStart'; readonly index: number; readonly id: string; readonly name: string }
  /** A piece of a started tool call's JSON arguments. */
  | { readonly kind: 'toolArgs'; readonly index: number; readonly args: string }
  /** A tool-call delta the upstream already sent in OpenAI's shape, passed on as it is. */
  | { readonly kind: 'toolDelta'; readonly delta: ToolCallDelta }
  | { readonly kind: 'finish'; readonly reason: FinishReason }
  /** The answer is complete. Without `usage` (an upstream that reported none) no usage chunk is sent. */
  | { readonly kind: 'end'; readonly usage?: Usage | undefined };

/**
 * The envelope of every chunk. Read as each chunk is made, so the reader of the upstream's
 * stream may fill in `id` and `model` from its first event after the stream has been handed out.
 */
export interface StreamMeta {
  id: string;
  model: string;
  readonly created: number;
}

/** Chat completion chunks; the usage chunk only when `includeUsage` (stream_options.include_usage). */
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
      case 'toolDelta':
        yield chunk({ delta: { tool_calls: [part.delta] }, finish_reason: null });
        break;
      case 'finish':
        yield chunk({ delta: {}, finish_reason: part.reason });
        break;
      case 'end':
        if (includeUsage && part.usage) {
          yield { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: part.usage };
        }
        break;
    }
  }
}

/**
 * Text completion chunks: text pieces, the finish reason, the usage chunk only when
 * `includeUsage`. OpenAI's completions streams have no role chunk, and a completion asks for
 * no tools: those parts are skipped.
 */
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
        if (includeUsage && part.usage) {
          yield { id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [], usage: part.usage };
        }
        break;
      default:
        break;
    }
  }
}

// Anthropic Messages API answers → OpenAI-format answers.
// Reference: https://docs.anthropic.com/en/api/messages (response: content, stop_reason, usage)
import { createError, type ChatResponse, type CompletionsResponse, type FinishReason, type ToolCall, type Usage } from '@gatehousejs/core';
import type { AnthropicResponse, AnthropicUsage } from './wire.js';

export const PROVIDER_LABEL = 'Anthropic';

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['pause_turn', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['refusal', 'content_filter'],
]);

/** Anthropic's stop_reason → OpenAI's finish_reason; a reason added later reads as 'stop'. */
export function finishReason(stopReason: string | null | undefined): FinishReason {
  return (stopReason ? FINISH_REASONS.get(stopReason) : undefined) ?? 'stop';
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI's prompt_tokens
 * includes them, with the cache hits repeated in prompt_tokens_details.cached_tokens.
 */
export function toUsage(usage: AnthropicUsage | undefined): Usage {
  const cacheRead = count(usage?.cache_read_input_tokens);
  const prompt = count(usage?.input_tokens) + cacheRead + count(usage?.cache_creation_input_tokens);
  const completion = count(usage?.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

function checkMessage(body: unknown): AnthropicResponse {
  const message = body as Partial<AnthropicResponse> | null;
  if (typeof message !== 'object' || message === null || !Array.isArray(message.content) || typeof message.id !== 'string') {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not a Message.`);
  }
  return message as AnthropicResponse;
}

interface Meta {
  readonly created: number;
  readonly model: string;
}

export function toChatResponse(body: unknown, meta: Meta): ChatResponse {
  const message = checkMessage(body);
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: String(block.id),
        type: 'function',
        function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
    // thinking, redacted_thinking and server-tool blocks have no place in OpenAI's message.
  }
  const reply: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  return {
    id: message.id,
    object: 'chat.completion',
    created: meta.created,
    model: message.model || meta.model,
    choices: [{ index: 0, message: reply, finish_reason: finishReason(message.stop_reason), logprobs: null }],
    usage: toUsage(message.usage),
  };
}

export function toCompletionsResponse(body: unknown, meta: Meta): CompletionsResponse {
  const message = checkMessage(body);
  const text = message.content.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
  return {
    id: message.id,
    object: 'text_completion',
    created: meta.created,
    model: message.model || meta.model,
    choices: [{ index: 0, text, finish_reason: finishReason(message.stop_reason), logprobs: null }],
    usage: toUsage(message.usage),
  };
}

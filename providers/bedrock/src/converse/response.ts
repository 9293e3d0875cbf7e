// Converse answers → OpenAI-format answers.
// Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
// (Response: output.message.content, stopReason, usage)
import { createError, type ChatResponse, type CompletionsResponse, type FinishReason, type ToolCall, type Usage } from '@gatehousejs/core';
import { PROVIDER_LABEL } from '../errors.js';
import type { ConverseResponse, ConverseUsage } from '../wire.js';

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['guardrail_intervened', 'content_filter'],
  ['content_filtered', 'content_filter'],
]);

/** Converse's stopReason → OpenAI's finish_reason; a reason added later reads as 'stop'. */
export function finishReason(stopReason: string | null | undefined): FinishReason {
  return (stopReason ? FINISH_REASONS.get(stopReason) : undefined) ?? 'stop';
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Converse counts cache reads and writes apart from inputTokens; OpenAI's prompt_tokens
 * includes them, with the cache hits repeated in prompt_tokens_details.cached_tokens.
 */
export function toUsage(usage: ConverseUsage | undefined): Usage {
  const cacheRead = count(usage?.cacheReadInputTokens);
  const prompt = count(usage?.inputTokens) + cacheRead + count(usage?.cacheWriteInputTokens);
  const completion = count(usage?.outputTokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

function checkResponse(body: unknown): ConverseResponse {
  const content = (body as Partial<ConverseResponse> | null)?.output?.message?.content;
  if (!Array.isArray(content)) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not a Converse response.`);
  }
  return body as ConverseResponse;
}

export interface ResponseMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export function toChatResponse(body: unknown, meta: ResponseMeta): ChatResponse {
  const answer = checkResponse(body);
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of answer.output.message.content) {
    if (typeof block?.text === 'string') text += block.text;
    else if (block?.toolUse) {
      toolCalls.push({
        id: String(block.toolUse.toolUseId),
        type: 'function',
        function: { name: String(block.toolUse.name), arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
    }
    // reasoningContent, citations and other blocks have no place in OpenAI's message.
  }
  const message: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: finishReason(answer.stopReason), logprobs: null }],
    usage: toUsage(answer.usage),
  };
}

export function toCompletionsResponse(body: unknown, meta: ResponseMeta): CompletionsResponse {
  const answer = checkResponse(body);
  const text = answer.output.message.content.map((block) => (typeof block?.text === 'string' ? block.text : '')).join('');
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, text, finish_reason: finishReason(answer.stopReason), logprobs: null }],
    usage: toUsage(answer.usage),
  };
}

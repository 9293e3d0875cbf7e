// Token usage from OpenAI's native answers, in the canonical (chat) shape core records.
// Chat and embeddings already use it; the Responses API counts input/output tokens
// (https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage).
import type { Usage } from '@gatehousejs/core';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/** `usage` of a chat completion, a chat stream's usage chunk, or an embeddings answer. */
export function chatUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  return {
    ...(usage as object),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : prompt + completion,
  } as Usage;
}

/** `usage` of a Responses API response object. */
export function responsesUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const prompt = count(usage.input_tokens);
  const completion = count(usage.output_tokens);
  const cached = isObject(usage.input_tokens_details) ? usage.input_tokens_details.cached_tokens : undefined;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : prompt + completion,
    ...(typeof cached === 'number' ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
    ...(isObject(usage.output_tokens_details) ? { completion_tokens_details: usage.output_tokens_details } : {}),
  };
}

// PaLM API v1beta2 answers → OpenAI-format answers. PaLM reports no token counts and no finish
// reason: usage is estimated with core's estimateTokens (about four characters a token) and
// every candidate finishes with "stop". A prompt PaLM blocks comes back as a 200 without
// candidates and with `filters`: that is answered as a 400 of type content_filter.
// References: https://developers.generativeai.google/api/rest/generativelanguage/models/generateMessage
// (GenerateMessageResponse: candidates[{author, content}], messages, filters),
// https://developers.generativeai.google/api/rest/generativelanguage/models/generateText
// (GenerateTextResponse: candidates[{output, safetyRatings}], filters, safetyFeedback),
// https://developers.generativeai.google/api/rest/generativelanguage/models/embedText
// (EmbedTextResponse: embedding.value).
import {
  createError,
  estimateTokens,
  generateId,
  type ChatResponse,
  type CompletionsResponse,
  type Embedding,
  type GatewayError,
  type Usage,
} from '@gatehousejs/core';
import type { ChatBody } from './request.js';

export const PROVIDER_LABEL = 'PaLM';

interface Meta {
  readonly created: number;
  readonly model: string;
}

function badResponse(message: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${message}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `filters` of a blocked answer ([{reason, message?}]) → a 400 that says why. */
function blockedError(body: Record<string, unknown>, what: string): GatewayError {
  const filters = Array.isArray(body.filters) ? body.filters : [];
  const reasons = filters
    .map((f: unknown) => {
      if (!isObject(f)) return '';
      const reason = typeof f.reason === 'string' ? f.reason : 'BLOCKED_REASON_UNSPECIFIED';
      return typeof f.message === 'string' && f.message !== '' ? `${reason} (${f.message})` : reason;
    })
    .filter((r) => r !== '');
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} blocked the ${what}: ${reasons.join(', ') || 'no reason given'}.`, {
    status: 400,
    type: 'content_filter',
    upstreamBody: body,
  });
}

/** The candidates of an answer, or the matching error (blocked, or not an answer at all). */
function candidatesOf(body: unknown, what: string): unknown[] {
  if (!isObject(body)) throw badResponse(`answered with a body that is not a ${what} response.`);
  const candidates = body.candidates;
  if (Array.isArray(candidates) && candidates.length > 0) return candidates;
  if (candidates !== undefined && !Array.isArray(candidates)) throw badResponse(`answered with "candidates" that is not a list.`);
  if (Array.isArray(body.filters) && body.filters.length > 0) throw blockedError(body, what === 'generateMessage' ? 'message' : 'prompt');
  throw badResponse(`answered with no candidates and no filters.`);
}

function estimatedUsage(promptText: string, outputs: readonly string[]): Usage {
  const prompt = estimateTokens(promptText);
  const completion = outputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** The text PaLM sees for a message prompt, for the usage estimate. */
export function messagePromptText(body: ChatBody): string {
  const parts: string[] = [];
  if (body.prompt.context) parts.push(body.prompt.context);
  for (const example of body.prompt.examples ?? []) parts.push(JSON.stringify(example));
  for (const message of body.prompt.messages) parts.push(message.content);
  return parts.join('\n');
}

export function toChatResponse(answer: unknown, promptText: string, meta: Meta): ChatResponse {
  const candidates = candidatesOf(answer, 'generateMessage');
  const texts = candidates.map((c, i) => {
    if (!isObject(c) || typeof c.content !== 'string') throw badResponse(`answered with candidate ${i} that has no text content.`);
    return c.content;
  });
  return {
    id: generateId('chatcmpl'),
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: texts.map((content, index) => ({
      index,
      message: { role: 'assistant', content, refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    })),
    usage: estimatedUsage(promptText, texts),
  };
}

export function toCompletionsResponse(answer: unknown, promptText: string, meta: Meta): CompletionsResponse {
  const candidates = candidatesOf(answer, 'generateText');
  const texts = candidates.map((c, i) => {
    if (!isObject(c) || typeof c.output !== 'string') throw badResponse(`answered with candidate ${i} that has no output text.`);
    return c.output;
  });
  return {
    id: generateId('cmpl'),
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: texts.map((text, index) => ({ index, text, finish_reason: 'stop', logprobs: null })),
    usage: estimatedUsage(promptText, texts),
  };
}

/** One embedText answer → its vector. */
export function embeddingVector(answer: unknown, index: number): number[] {
  const value = isObject(answer) && isObject(answer.embedding) ? answer.embedding.value : undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw badResponse(`answered input ${index} without an embedding (expected {"embedding":{"value":[numbers]}}).`);
  }
  return value as number[];
}

export function toEmbeddings(vectors: readonly number[][]): Embedding[] {
  return vectors.map((embedding, index) => ({ object: 'embedding', index, embedding }));
}

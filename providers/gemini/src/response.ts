// Gemini GenerateContentResponse → OpenAI-format answers.
// Reference: https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
// (candidates[].content.parts, finishReason, promptFeedback.blockReason, usageMetadata).
import {
  createError,
  generateId,
  type ChatChoice,
  type ChatResponse,
  type CompletionChoice,
  type CompletionsResponse,
  type FinishReason,
  type GatewayError,
  type ToolCall,
  type Usage,
} from '@gatehousejs/core';
import type { GeminiCandidate, GeminiPart, GeminiPromptFeedback, GeminiResponse, GeminiUsageMetadata } from './wire.js';

export const PROVIDER_LABEL = 'Gemini';

/** Gemini's finishReason → OpenAI's finish_reason (before the tool-call rule, see finishReason). */
const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['STOP', 'stop'],
  ['MAX_TOKENS', 'length'],
  ['SAFETY', 'content_filter'],
  ['RECITATION', 'content_filter'],
  ['BLOCKLIST', 'content_filter'],
  ['PROHIBITED_CONTENT', 'content_filter'],
  ['SPII', 'content_filter'],
  ['IMAGE_SAFETY', 'content_filter'],
  ['IMAGE_PROHIBITED_CONTENT', 'content_filter'],
  ['IMAGE_RECITATION', 'content_filter'],
  ['MODEL_ARMOR', 'content_filter'],
]);

/**
 * A candidate's finish reason in OpenAI's terms: STOP with function calls is 'tool_calls';
 * other reasons (OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL, reasons added later) read as 'stop'.
 */
export function finishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  const mapped = (reason ? FINISH_REASONS.get(reason) : undefined) ?? 'stop';
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * usageMetadata → OpenAI usage. Gemini counts thinking (thoughtsTokenCount) and tool-use prompt
 * tokens apart; OpenAI's completion_tokens include reasoning tokens and prompt_tokens the whole
 * input, so they are added in (totalTokenCount is their sum too). Cached tokens are part of
 * promptTokenCount and repeated in prompt_tokens_details.cached_tokens.
 */
export function toUsage(usage: GeminiUsageMetadata | undefined): Usage {
  const prompt = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const thoughts = count(usage?.thoughtsTokenCount);
  const completion = count(usage?.candidatesTokenCount) + thoughts;
  const out: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(usage?.cachedContentTokenCount) },
  };
  if (thoughts > 0) out.completion_tokens_details = { reasoning_tokens: thoughts };
  return out;
}

/** A prompt Gemini refused to answer: a 400 naming the block reason (and the blocked categories). */
export function blockedPrompt(feedback: GeminiPromptFeedback, body: unknown): GatewayError {
  const categories = (Array.isArray(feedback.safetyRatings) ? feedback.safetyRatings : [])
    .filter((r): r is { category: string; blocked: true } => typeof r === 'object' && r !== null && (r as { blocked?: unknown }).blocked === true)
    .map((r) => String(r.category));
  const detail = categories.length > 0 ? `: ${categories.join(', ')}` : '';
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} blocked the prompt (${String(feedback.blockReason)}${detail}).`, {
    status: 400,
    type: 'invalid_request_error',
    upstreamBody: body,
  });
}

function badResponse(message: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${message}`);
}

/** Check an answer's shape; a blocked prompt throws its 400, a body without candidates a 502. */
export function checkResponse(body: unknown): GeminiResponse & { candidates: GeminiCandidate[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badResponse('answered with a body that is not a GenerateContentResponse.');
  const response = body as GeminiResponse;
  const candidates = response.candidates;
  if (!Array.isArray(candidates) || candidates.length === 0) {
    if (response.promptFeedback?.blockReason) throw blockedPrompt(response.promptFeedback, body);
    throw badResponse('answered without candidates.');
  }
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' || candidate === null) throw badResponse('answered with a candidate that is not an object.');
  }
  return response as GeminiResponse & { candidates: GeminiCandidate[] };
}

export function partsOf(candidate: GeminiCandidate): GeminiPart[] {
  const parts = candidate.content?.parts;
  return Array.isArray(parts) ? parts.filter((p): p is GeminiPart => typeof p === 'object' && p !== null) : [];
}

/** Answer text: text parts that are not thought summaries. */
export function isAnswerText(part: GeminiPart): part is GeminiPart & { text: string } {
  return typeof part.text === 'string' && part.thought !== true;
}

/**
 * A functionCall part → an OpenAI tool call: Gemini's call id when it sends one, else a fresh
 * one; arguments are the JSON of `args`; a thought signature rides along the way Google's
 * OpenAI-compatible endpoint carries it (extra_content.google.thought_signature), so that a
 * client sending the call back returns it (request.ts).
 */
export function toToolCall(part: GeminiPart): ToolCall {
  const call = part.functionCall!;
  const id = typeof call.id === 'string' && call.id !== '' ? call.id : generateId('call');
  const toolCall: ToolCall = { id, type: 'function', function: { name: String(call.name ?? ''), arguments: JSON.stringify(call.args ?? {}) } };
  if (typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '') {
    Object.assign(toolCall, { extra_content: { google: { thought_signature: part.thoughtSignature } } });
  }
  return toolCall;
}

export const candidateIndex = (candidate: GeminiCandidate, position: number): number =>
  typeof candidate.index === 'number' && Number.isInteger(candidate.index) && candidate.index >= 0 ? candidate.index : position;

interface Meta {
  readonly created: number;
  readonly model: string;
}

function chatChoice(candidate: GeminiCandidate, position: number): ChatChoice {
  const parts = partsOf(candidate);
  const texts = parts.filter(isAnswerText).map((p) => p.text);
  const toolCalls = parts.filter((p) => typeof p.functionCall === 'object' && p.functionCall !== null).map(toToolCall);
  const finish = finishReason(candidate.finishReason, toolCalls.length > 0);
  // No text at all beside tool calls, or a filtered answer: null, as OpenAI sends then.
  const content = texts.length === 0 && (toolCalls.length > 0 || finish === 'content_filter') ? null : texts.join('');
  const message: ChatChoice['message'] = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return { index: candidateIndex(candidate, position), message, finish_reason: finish, logprobs: null };
}

export function toChatResponse(body: unknown, meta: Meta): ChatResponse {
  const response = checkResponse(body);
  const choices = response.candidates.map(chatChoice).sort((a, b) => a.index - b.index);
  return {
    id: typeof response.responseId === 'string' && response.responseId ? response.responseId : generateId('chatcmpl'),
    object: 'chat.completion',
    created: meta.created,
    model: typeof response.modelVersion === 'string' && response.modelVersion ? response.modelVersion : meta.model,
    choices,
    usage: toUsage(response.usageMetadata),
  };
}

export function toCompletionsResponse(body: unknown, meta: Meta): CompletionsResponse {
  const response = checkResponse(body);
  const choices: CompletionChoice[] = response.candidates
    .map((candidate, position) => ({
      index: candidateIndex(candidate, position),
      text: partsOf(candidate).filter(isAnswerText).map((p) => p.text).join(''),
      finish_reason: finishReason(candidate.finishReason, false),
      logprobs: null,
    }))
    .sort((a, b) => a.index - b.index);
  return {
    id: typeof response.responseId === 'string' && response.responseId ? response.responseId : generateId('cmpl'),
    object: 'text_completion',
    created: meta.created,
    model: typeof response.modelVersion === 'string' && response.modelVersion ? response.modelVersion : meta.model,
    choices,
    usage: toUsage(response.usageMetadata),
  };
}

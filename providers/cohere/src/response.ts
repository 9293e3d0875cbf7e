// Cohere v2 answers → OpenAI-format answers.
// References: https://docs.cohere.com/reference/chat (response: id, finish_reason, message, usage),
// https://docs.cohere.com/reference/embed (embeddings.float, meta.billed_units).
import {
  createError,
  type ChatResponse,
  type CompletionsResponse,
  type EmbeddingsResponse,
  type FinishReason,
  type GatewayError,
  type ToolCall,
  type Usage,
} from '@gatehousejs/core';
import type { CohereChatResponse, CohereEmbedResponse, CohereResponseToolCall, CohereUsage } from './wire.js';

export const PROVIDER_LABEL = 'Cohere';

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['COMPLETE', 'stop'],
  ['STOP_SEQUENCE', 'stop'],
  ['MAX_TOKENS', 'length'],
  ['ERROR_LIMIT', 'length'],
  ['TOOL_CALL', 'tool_calls'],
  ['CONTENT_BLOCKED', 'content_filter'],
  ['ERROR_TOXIC', 'content_filter'],
]);

/** Cohere's finish reasons that mean the generation failed: the answer is a 502, not a choice. */
const FAILED = new Set(['ERROR', 'TIMEOUT']);

export function isFailure(reason: string | null | undefined): boolean {
  return typeof reason === 'string' && FAILED.has(reason.toUpperCase());
}

export function generationError(reason: string, detail?: string): GatewayError {
  const suffix = detail ? `: ${detail}` : '';
  return createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} failed to generate the answer (finish_reason ${reason})${suffix}`);
}

/** Cohere's finish_reason (documented upper case; older SDKs show lower case) → OpenAI's; unknown reads as 'stop'. */
export function finishReason(reason: string | null | undefined): FinishReason {
  return (typeof reason === 'string' ? FINISH_REASONS.get(reason.toUpperCase()) : undefined) ?? 'stop';
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Usage from `usage.tokens` (what the model read and wrote, prompt template included), falling
 * back to `usage.billed_units` (what Cohere bills) when `tokens` is absent. Cohere's
 * `cached_tokens` becomes prompt_tokens_details.cached_tokens.
 */
export function toUsage(usage: CohereUsage | null | undefined): Usage {
  const prompt = count(usage?.tokens?.input_tokens) ?? count(usage?.billed_units?.input_tokens) ?? 0;
  const completion = count(usage?.tokens?.output_tokens) ?? count(usage?.billed_units?.output_tokens) ?? 0;
  const out: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const cached = count(usage?.cached_tokens);
  if (cached !== undefined) out.prompt_tokens_details = { cached_tokens: cached };
  return out;
}

function badResponse(what: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${what}.`);
}

function checkChat(body: unknown): CohereChatResponse {
  const answer = body as Partial<CohereChatResponse> | null;
  if (typeof answer !== 'object' || answer === null || typeof answer.message !== 'object' || answer.message === null) {
    throw badResponse('answered with a body that is not a chat response');
  }
  if (answer.message.content !== undefined && answer.message.content !== null && !Array.isArray(answer.message.content)) {
    throw badResponse('answered with message content that is not a list');
  }
  if (answer.message.tool_calls !== undefined && answer.message.tool_calls !== null && !Array.isArray(answer.message.tool_calls)) {
    throw badResponse('answered with tool_calls that are not a list');
  }
  if (isFailure(answer.finish_reason)) throw generationError(String(answer.finish_reason));
  return answer as CohereChatResponse;
}

/**
 * Tool-call arguments as OpenAI's JSON string (Cohere sends a string; an object is serialised).
 * Cohere answers "null" for a tool that takes no arguments: that is "{}" to an OpenAI client.
 */
export function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args.trim() === 'null' ? '{}' : args;
  if (args === undefined || args === null) return '{}';
  return JSON.stringify(args);
}

export function toToolCall(call: CohereResponseToolCall, index: number): ToolCall {
  if (typeof call?.function?.name !== 'string') throw badResponse(`answered with tool call ${index} without a function name`);
  return {
    id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${index}`,
    type: 'function',
    function: { name: call.function.name, arguments: argumentsText(call.function.arguments) },
  };
}

/** The answer's text: its text blocks (thinking is left out), or the tool plan of a tool-calling turn. */
function answerText(answer: CohereChatResponse): string {
  const text = (answer.message.content ?? []).map((block) => (block?.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
  if (text !== '') return text;
  return typeof answer.message.tool_plan === 'string' ? answer.message.tool_plan : '';
}

export interface Meta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export function toChatResponse(body: unknown, meta: Meta): ChatResponse {
  const answer = checkChat(body);
  const toolCalls = (answer.message.tool_calls ?? []).map(toToolCall);
  const text = answerText(answer);
  const message: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: typeof answer.id === 'string' && answer.id !== '' ? answer.id : meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: finishReason(answer.finish_reason), logprobs: null }],
    usage: toUsage(answer.usage),
  };
}

export function toCompletionsResponse(body: unknown, meta: Meta): CompletionsResponse {
  const answer = checkChat(body);
  return {
    id: typeof answer.id === 'string' && answer.id !== '' ? answer.id : meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, text: answerText(answer), finish_reason: finishReason(answer.finish_reason), logprobs: null }],
    usage: toUsage(answer.usage),
  };
}

function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a || !b) return a ?? b;
  const out: Usage = {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
  const cached = (a.prompt_tokens_details?.cached_tokens ?? 0) + (b.prompt_tokens_details?.cached_tokens ?? 0);
  if (a.prompt_tokens_details || b.prompt_tokens_details) out.prompt_tokens_details = { cached_tokens: cached };
  return out;
}

/** n answers of parallel calls as one answer with n choices (every call's tokens are counted). */
export function mergeChoices<T extends ChatResponse | CompletionsResponse>(answers: T[]): T {
  const first = answers[0]!;
  if (answers.length === 1) return first;
  const choices = answers.map((answer, index) => ({ ...answer.choices[0]!, index }));
  const usage = answers.reduce<Usage | undefined>((sum, answer) => addUsage(sum, answer.usage), undefined);
  return { ...first, choices, usage } as T;
}

export function toEmbeddingsResponse(body: unknown, expected: number, model: string): EmbeddingsResponse {
  const answer = body as CohereEmbedResponse | null;
  const vectors = answer?.embeddings?.float;
  if (typeof answer !== 'object' || answer === null || !Array.isArray(vectors)) {
    throw badResponse('answered without embeddings.float');
  }
  if (vectors.length !== expected) throw badResponse(`answered with ${vectors.length} embeddings for ${expected} inputs`);
  const data = vectors.map((vector, index) => {
    if (!Array.isArray(vector) || !vector.every((v) => typeof v === 'number')) throw badResponse(`answered with embedding ${index} that is not a list of numbers`);
    return { object: 'embedding' as const, index, embedding: vector as number[] };
  });
  const tokens = count(answer.meta?.billed_units?.input_tokens) ?? 0;
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

// OpenAI-format completions ↔ AI21's Jurassic-2 complete API (POST /studio/v1/{model}/complete).
// Reference: https://docs.ai21.com/reference/j2-complete-ref. AI21 has retired the J2 models;
// this follows the documented API for configs that still name them. The API has no streaming.
//
// Request: {prompt, numResults, maxTokens, temperature, topP, stopSequences,
//           presencePenalty:{scale}, frequencyPenalty:{scale}, countPenalty:{scale}, ...}
// Answer:  {id, prompt:{text, tokens:[...]}, completions:[{data:{text, tokens:[...]},
//           finishReason:{reason: endoftext | length | stop, ...}}]}
import { createError, generateId, translateParams, type CompletionsRequest, type CompletionsResponse, type FinishReason, type Usage } from '@gatehousejs/core';
import { PROVIDER_LABEL, promptText, type RequestContext } from './jamba.js';
import { J2_PARAMS } from './params.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function buildJ2Body(request: CompletionsRequest, ctx: RequestContext): Json {
  const params = translateParams(J2_PARAMS, request, ctx.providerName);
  return { prompt: promptText(request.prompt, ctx), ...params };
}

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['endoftext', 'stop'],
  ['stop', 'stop'],
  ['length', 'length'],
]);

/** J2's finishReason.reason → OpenAI's finish_reason; an unknown reason reads as 'stop'. */
export function j2FinishReason(reason: unknown): FinishReason {
  return (typeof reason === 'string' ? FINISH_REASONS.get(reason) : undefined) ?? 'stop';
}

function badResponse(what: string): Error {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${what}.`);
}

interface Meta {
  readonly created: number;
  readonly model: string;
}

/** Usage from the token lists J2 returns: the prompt's tokens, and every completion's tokens. */
function j2Usage(answer: Json, completions: Json[]): Usage | undefined {
  const promptTokens = isObject(answer.prompt) ? answer.prompt.tokens : undefined;
  if (!Array.isArray(promptTokens)) return undefined;
  let completion = 0;
  for (const item of completions) {
    const tokens = isObject(item.data) ? item.data.tokens : undefined;
    if (!Array.isArray(tokens)) return undefined;
    completion += tokens.length;
  }
  return { prompt_tokens: promptTokens.length, completion_tokens: completion, total_tokens: promptTokens.length + completion };
}

export function toJ2CompletionsResponse(body: unknown, meta: Meta): CompletionsResponse {
  if (!isObject(body) || !Array.isArray(body.completions)) throw badResponse('answered with a body that is not a J2 completion');
  const completions = body.completions as unknown[];
  const choices = completions.map((item, index) => {
    if (!isObject(item) || !isObject(item.data) || typeof item.data.text !== 'string') throw badResponse(`answered with completion ${index} without text`);
    const reason = isObject(item.finishReason) ? item.finishReason.reason : undefined;
    return { index, text: item.data.text, finish_reason: j2FinishReason(reason), logprobs: null };
  });
  const id = typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : generateId('cmpl');
  const response: CompletionsResponse = { id, object: 'text_completion', created: meta.created, model: meta.model, choices };
  const usage = j2Usage(body, completions as Json[]);
  if (usage) response.usage = usage;
  return response;
}

// MosaicML inference API answers → OpenAI-format answers. MosaicML answers {"outputs": [...]}:
// one generated string per input for text completion models, one vector per input for
// embedding models (the older and Enterprise-tier key `data` is read too). It reports no token
// counts and no finish reason: usage is estimated with core's estimateTokens (about four
// characters a token) and every choice finishes with "stop".
// References: https://docs.mosaicml.com/en/latest/inference.html (text completion and text
// embedding models), as MLflow's MosaicML provider read them.
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
import type { Prepared } from './request.js';

export const PROVIDER_LABEL = 'MosaicML';

interface Meta {
  readonly created: number;
  readonly model: string;
}

function badResponse(message: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${message}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `outputs` list of an answer (or `data`, the key older deployments used). */
function outputsOf(body: unknown): unknown[] {
  if (isObject(body)) {
    const outputs = body.outputs ?? body.data;
    if (Array.isArray(outputs)) return outputs;
  }
  throw badResponse('answered with a body that has no "outputs" list.');
}

/** Cut a text at the first occurrence of any stop sequence (the sequence itself is left out). */
export function cutAtStop(text: string, stop: readonly string[]): string {
  let end = text.length;
  for (const sequence of stop) {
    if (sequence === '') continue;
    const at = text.indexOf(sequence);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}

/** One generated string per input, cut at the stop sequences. */
function generatedTexts(body: unknown, prepared: Prepared): string[] {
  const outputs = outputsOf(body);
  const expected = prepared.body.inputs.length;
  if (outputs.length !== expected) throw badResponse(`answered ${outputs.length} outputs for ${expected} inputs.`);
  return outputs.map((output, i) => {
    if (typeof output !== 'string') throw badResponse(`answered output ${i} that is not a string.`);
    return cutAtStop(output, prepared.stop);
  });
}

function estimatedUsage(prepared: Prepared, texts: readonly string[]): Usage {
  // Each distinct prompt is sent n times and read n times.
  const prompt = prepared.prompts.reduce((sum, p) => sum + estimateTokens(p), 0) * prepared.n;
  const completion = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function toChatResponse(body: unknown, prepared: Prepared, meta: Meta): ChatResponse {
  const texts = generatedTexts(body, prepared);
  return {
    id: generateId('chatcmpl'),
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: texts.map((content, index) => ({ index, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null })),
    usage: estimatedUsage(prepared, texts),
  };
}

export function toCompletionsResponse(body: unknown, prepared: Prepared, meta: Meta): CompletionsResponse {
  const texts = generatedTexts(body, prepared);
  return {
    id: generateId('cmpl'),
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: texts.map((text, index) => ({ index, text, finish_reason: 'stop', logprobs: null })),
    usage: estimatedUsage(prepared, texts),
  };
}

const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/** One vector per input; a single flat vector is accepted for a single input. */
export function toEmbeddings(body: unknown, count: number): Embedding[] {
  const outputs = outputsOf(body);
  const vectors: unknown[] = count === 1 && isVector(outputs) ? [outputs] : outputs;
  if (vectors.length !== count) throw badResponse(`answered ${vectors.length} embeddings for ${count} inputs.`);
  return vectors.map((embedding, index) => {
    if (!isVector(embedding)) throw badResponse(`answered embedding ${index} that is not a list of numbers.`);
    return { object: 'embedding', index, embedding };
  });
}

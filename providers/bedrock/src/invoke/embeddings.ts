// Embeddings through InvokeModel (POST /model/{modelId}/invoke), whose body is the model's own
// format; the family is chosen by the model id:
// - Amazon Titan text embeddings (amazon.titan-embed-*): one request per input,
//   {inputText, dimensions?} → {embedding, inputTextTokenCount}; several inputs in parallel.
//   https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
// - Cohere Embed (cohere.embed-*): {texts, input_type} → {embeddings: [[...]]} (or, when
//   embedding types are named, {embeddings: {float: [[...]]}}), up to 96 texts a request.
//   https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html
// Usage: Titan's inputTextTokenCount, else the X-Amzn-Bedrock-Input-Token-Count header.
import {
  createError,
  estimateTokens,
  translateParams,
  type CallContext,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type UpstreamResponse,
} from '@gatehousejs/core';
import { modelPath, type BedrockClient } from '../client.js';
import { PROVIDER_LABEL } from '../errors.js';
import type { ParamMaps } from '../params.js';

export type EmbeddingFamily = 'titan' | 'cohere';

/** Requests in flight at once for one embeddings call (Titan sends one per input). */
export const MAX_PARALLEL = 8;
/** Cohere Embed takes at most 96 texts per request. */
export const COHERE_BATCH = 96;

// A base model id, a cross-region inference profile ("us.cohere.embed-v4:0") or an ARN ending in one.
const FAMILIES: ReadonlyArray<readonly [RegExp, EmbeddingFamily]> = [
  [/(?:^|[./])amazon\.titan-embed-/, 'titan'],
  [/(?:^|[./])cohere\.embed-/, 'cohere'],
];

export function embeddingFamily(modelId: string): EmbeddingFamily | undefined {
  return FAMILIES.find(([pattern]) => pattern.test(modelId))?.[1];
}

export interface EmbeddingsContext {
  readonly client: BedrockClient;
  readonly maps: ParamMaps;
  readonly providerName: string;
}

function badRequest(param: string, message: string, providerName: string): Error {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${providerName}).`, { param });
}

function texts(input: unknown, providerName: string): string[] {
  const list = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(list) || list.length === 0) throw badRequest('input', 'must be a string or a non-empty array of strings', providerName);
  if (!list.every((item) => typeof item === 'string')) {
    throw badRequest('input', 'Bedrock embeddings take text; token arrays are not supported', providerName);
  }
  return list as string[];
}

/** Run `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function badAnswer(what: string): Error {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered InvokeModel with ${what}.`);
}

function vector(value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number')) throw badAnswer('an embedding that is not a list of numbers');
  return value as number[];
}

function headerCount(headers: UpstreamResponse['headers']): number | undefined {
  const value = headers['x-amzn-bedrock-input-token-count'];
  const n = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(n) ? n : undefined;
}

interface Embedded {
  readonly vectors: number[][];
  readonly tokens: number;
}

async function titan(model: string, inputs: string[], params: Record<string, unknown>, ctx: EmbeddingsContext, call: CallContext): Promise<Embedded> {
  const path = modelPath(model, 'invoke');
  const answers = await mapLimit(inputs, MAX_PARALLEL, async (inputText) => {
    const { body, headers } = await ctx.client.postJson(path, { ...params, inputText }, call);
    const answer = body as { embedding?: unknown; inputTextTokenCount?: unknown } | null;
    const tokens = typeof answer?.inputTextTokenCount === 'number' ? answer.inputTextTokenCount : (headerCount(headers) ?? estimateTokens(inputText));
    return { vector: vector(answer?.embedding), tokens };
  });
  return { vectors: answers.map((a) => a.vector), tokens: answers.reduce((sum, a) => sum + a.tokens, 0) };
}

function cohereVectors(body: unknown, expected: number): number[][] {
  const embeddings = (body as { embeddings?: unknown } | null)?.embeddings;
  const list = Array.isArray(embeddings) ? embeddings : (embeddings as { float?: unknown } | undefined)?.float;
  if (!Array.isArray(list)) throw badAnswer('no float embeddings');
  if (list.length !== expected) throw badAnswer(`${list.length} embeddings for ${expected} texts`);
  return list.map(vector);
}

async function cohere(model: string, inputs: string[], params: Record<string, unknown>, ctx: EmbeddingsContext, call: CallContext): Promise<Embedded> {
  const path = modelPath(model, 'invoke');
  const batches: string[][] = [];
  for (let i = 0; i < inputs.length; i += COHERE_BATCH) batches.push(inputs.slice(i, i + COHERE_BATCH));
  const answers = await mapLimit(batches, MAX_PARALLEL, async (batch) => {
    const { body, headers } = await ctx.client.postJson(path, { ...params, texts: batch }, call);
    return { vectors: cohereVectors(body, batch.length), tokens: headerCount(headers) ?? batch.reduce((sum, t) => sum + estimateTokens(t), 0) };
  });
  return { vectors: answers.flatMap((a) => a.vectors), tokens: answers.reduce((sum, a) => sum + a.tokens, 0) };
}

export async function embed(request: EmbeddingsRequest, model: string, ctx: EmbeddingsContext, call: CallContext): Promise<EmbeddingsResponse> {
  const family = embeddingFamily(model);
  if (!family) {
    throw badRequest(
      'model',
      `Bedrock embeddings support Amazon Titan text embeddings (amazon.titan-embed-*) and Cohere Embed (cohere.embed-*) models; got ${JSON.stringify(model)}`,
      ctx.providerName,
    );
  }
  const inputs = texts(request.input, ctx.providerName);
  const params = translateParams(ctx.maps[family], request, ctx.providerName);
  const { vectors, tokens } = await (family === 'titan' ? titan : cohere)(model, inputs, params, ctx, call);
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
